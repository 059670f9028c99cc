-- The whole product's schema. Times are Unix seconds (INTEGER, UTC).

CREATE TABLE users (
    vk_id            INTEGER PRIMARY KEY,
    first_name       TEXT NOT NULL DEFAULT '',
    last_name        TEXT NOT NULL DEFAULT '',
    locale           TEXT NOT NULL DEFAULT 'ru',
    -- What the user's client can show, from client_info of their last message.
    callbacks        INTEGER NOT NULL DEFAULT 1,
    inline_keyboard  INTEGER NOT NULL DEFAULT 1,
    messages_allowed INTEGER NOT NULL DEFAULT 1,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);

CREATE TABLE organizations (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    short_name  TEXT NOT NULL,
    type        TEXT NOT NULL CHECK (type IN
                  ('school', 'preschool', 'additional', 'college', 'university', 'authority', 'other')),
    inn         TEXT UNIQUE CHECK (inn IS NULL OR (length(inn) IN (10, 12) AND inn NOT GLOB '*[^0-9]*')),
    region      TEXT NOT NULL DEFAULT '',
    city        TEXT NOT NULL DEFAULT '',
    -- Normalised name + city (lower case, ё→е, no quotes or №) that the search index reads.
    search_text TEXT NOT NULL,
    archived_at INTEGER,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);

CREATE VIRTUAL TABLE organizations_fts USING fts5(
    search_text, content='organizations', content_rowid='id', tokenize='unicode61 remove_diacritics 0'
);
CREATE TRIGGER organizations_ai AFTER INSERT ON organizations BEGIN
    INSERT INTO organizations_fts(rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER organizations_ad AFTER DELETE ON organizations BEGIN
    INSERT INTO organizations_fts(organizations_fts, rowid, search_text)
    VALUES ('delete', old.id, old.search_text);
END;
CREATE TRIGGER organizations_au AFTER UPDATE OF search_text ON organizations BEGIN
    INSERT INTO organizations_fts(organizations_fts, rowid, search_text)
    VALUES ('delete', old.id, old.search_text);
    INSERT INTO organizations_fts(rowid, search_text) VALUES (new.id, new.search_text);
END;

CREATE TABLE classes (
    id         INTEGER PRIMARY KEY,
    org_id     INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX classes_org_name ON classes(org_id, name COLLATE NOCASE);

CREATE TABLE org_admins (
    org_id       INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    vk_id        INTEGER NOT NULL,
    appointed_by INTEGER,
    appointed_at INTEGER NOT NULL,
    PRIMARY KEY (org_id, vk_id)
);
CREATE INDEX org_admins_vk ON org_admins(vk_id);

CREATE TABLE applications (
    id             INTEGER PRIMARY KEY,
    org_id         INTEGER NOT NULL REFERENCES organizations(id),
    vk_id          INTEGER NOT NULL,
    role           TEXT NOT NULL,
    full_name      TEXT NOT NULL,
    position       TEXT NOT NULL DEFAULT '',
    vk_name        TEXT NOT NULL DEFAULT '',
    invitation_id  INTEGER REFERENCES invitations(id),
    status         TEXT NOT NULL DEFAULT 'pending'
                     CHECK (status IN ('pending', 'approved', 'rejected', 'withdrawn', 'expired')),
    reason_code    TEXT,
    reason_text    TEXT,
    decided_by     INTEGER,
    decided_at     INTEGER,
    reminded_at    INTEGER,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);
-- Never two open applications of one person to one organization.
CREATE UNIQUE INDEX applications_one_pending ON applications(org_id, vk_id) WHERE status = 'pending';
CREATE INDEX applications_user ON applications(vk_id, created_at);
CREATE INDEX applications_org_status ON applications(org_id, status, created_at);

CREATE TABLE application_classes (
    application_id INTEGER NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
    class_id       INTEGER NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
    PRIMARY KEY (application_id, class_id)
);

-- Status history: one row per transition, the first one (NULL → pending) included.
CREATE TABLE application_events (
    id             INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
    from_status    TEXT,
    to_status      TEXT NOT NULL,
    actor_id       INTEGER,
    reason         TEXT,
    at             INTEGER NOT NULL
);
CREATE INDEX application_events_app ON application_events(application_id);

-- Every administrator's prompt for an application, so each can be edited after the decision.
CREATE TABLE review_prompts (
    application_id          INTEGER NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
    admin_id                INTEGER NOT NULL,
    conversation_message_id INTEGER,
    message_id              INTEGER,
    delivered               INTEGER NOT NULL DEFAULT 1,
    created_at              INTEGER NOT NULL,
    PRIMARY KEY (application_id, admin_id)
);

CREATE TABLE memberships (
    id            INTEGER PRIMARY KEY,
    org_id        INTEGER NOT NULL REFERENCES organizations(id),
    vk_id         INTEGER NOT NULL,
    role          TEXT NOT NULL,
    full_name     TEXT NOT NULL,
    position      TEXT NOT NULL DEFAULT '',
    via           TEXT NOT NULL CHECK (via IN ('application', 'invitation', 'appointment', 'import')),
    application_id INTEGER REFERENCES applications(id),
    invitation_id  INTEGER REFERENCES invitations(id),
    verified_at   INTEGER NOT NULL,
    removed_at    INTEGER,
    removed_by    INTEGER,
    removed_reason TEXT
);
CREATE UNIQUE INDEX memberships_active ON memberships(org_id, vk_id) WHERE removed_at IS NULL;
CREATE INDEX memberships_user ON memberships(vk_id);

CREATE TABLE membership_classes (
    membership_id INTEGER NOT NULL REFERENCES memberships(id) ON DELETE CASCADE,
    class_id      INTEGER NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
    PRIMARY KEY (membership_id, class_id)
);

CREATE TABLE invitations (
    id             INTEGER PRIMARY KEY,
    org_id         INTEGER NOT NULL REFERENCES organizations(id),
    code_hash      TEXT NOT NULL UNIQUE,
    name           TEXT NOT NULL DEFAULT '',
    role           TEXT,
    class_id       INTEGER REFERENCES classes(id) ON DELETE SET NULL,
    needs_approval INTEGER NOT NULL DEFAULT 0,
    max_uses       INTEGER,
    uses           INTEGER NOT NULL DEFAULT 0,
    expires_at     INTEGER,
    created_by     INTEGER NOT NULL,
    created_at     INTEGER NOT NULL,
    revoked_at     INTEGER,
    revoked_by     INTEGER,
    CHECK (max_uses IS NULL OR uses <= max_uses)
);
CREATE INDEX invitations_org ON invitations(org_id);

-- Per-person counters for rate limits (submissions, wrong invitation codes).
CREATE TABLE rate_events (
    kind  TEXT NOT NULL,
    vk_id INTEGER NOT NULL,
    at    INTEGER NOT NULL
);
CREATE INDEX rate_events_key ON rate_events(kind, vk_id, at);

CREATE TABLE conversation_states (
    peer_id    INTEGER PRIMARY KEY,
    state      TEXT NOT NULL,
    payload    TEXT NOT NULL DEFAULT '{}',
    updated_at INTEGER NOT NULL
);

-- Inbox of long-poll updates: de-duplication by event_id and replay of unfinished ones after a crash.
CREATE TABLE processed_events (
    event_id    TEXT PRIMARY KEY,
    peer_id     INTEGER NOT NULL,
    type        TEXT NOT NULL,
    body        TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    done_at     INTEGER
);
CREATE INDEX processed_events_pending ON processed_events(done_at) WHERE done_at IS NULL;

CREATE TABLE poll_cursor (
    group_id   INTEGER PRIMARY KEY,
    ts         TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY,
    at         INTEGER NOT NULL,
    actor_id   INTEGER,
    action     TEXT NOT NULL,
    org_id     INTEGER,
    object_type TEXT NOT NULL,
    object_id  INTEGER,
    before     TEXT,
    after      TEXT,
    reason     TEXT
);
CREATE INDEX audit_log_org ON audit_log(org_id, at);

CREATE TABLE scheduled_jobs (
    name        TEXT PRIMARY KEY,
    due_at      INTEGER NOT NULL,
    last_run_at INTEGER
);
