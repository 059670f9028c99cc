-- The transactional outbox: what the bot is to say to VK, written in the same transaction as
-- the change that made it say so, and delivered afterwards by the sender.
CREATE TABLE outbox (
    id          INTEGER PRIMARY KEY,
    -- The update whose handling wrote the row (NULL: a scheduled job or the command line).
    event_id    TEXT,
    kind        TEXT NOT NULL CHECK (kind IN ('send', 'edit', 'answer')),
    -- Comma-separated recipients; one person's rows are delivered in id order.
    peers       TEXT NOT NULL,
    -- VK parameters of the call except the recipients and random_id (JSON).
    params      TEXT NOT NULL,
    -- Drawn once when the row is written: every delivery attempt carries the same one.
    random_id   INTEGER NOT NULL,
    -- An edit of a message this outbox sent, whose conversation_message_id is known once
    -- that row is delivered.
    ref_id      INTEGER REFERENCES outbox(id) ON DELETE SET NULL,
    -- 'photo' or 'doc': the sender uploads upload_data and attaches it.
    upload      TEXT CHECK (upload IS NULL OR upload IN ('photo', 'doc')),
    upload_name TEXT,
    upload_data BLOB,
    -- For an edit: send these parameters instead when the edit fails; for an upload: when the
    -- upload fails.
    fallback    TEXT,
    -- What the delivery's answer is recorded for (e.g. 'prompt:17'): a hook run in the
    -- transaction that marks the row delivered.
    purpose     TEXT,
    created_at  INTEGER NOT NULL,
    done_at     INTEGER,
    -- The VK error that ended the row for good (901 and the like), NULL when delivered.
    error       INTEGER
);
CREATE INDEX outbox_pending ON outbox(id) WHERE done_at IS NULL;
CREATE INDEX outbox_purpose ON outbox(purpose) WHERE purpose IS NOT NULL;

-- What VK answered for each recipient of a delivered send.
CREATE TABLE outbox_delivered (
    outbox_id               INTEGER NOT NULL REFERENCES outbox(id) ON DELETE CASCADE,
    peer_id                 INTEGER NOT NULL,
    message_id              INTEGER,
    conversation_message_id INTEGER,
    error                   INTEGER,
    PRIMARY KEY (outbox_id, peer_id)
);

-- Attempts at handling an update (a kill -9 mid-way counts), and its end when it never succeeded.
ALTER TABLE processed_events ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE processed_events ADD COLUMN failed_at INTEGER;
