-- People of messengers other than VK (issue 13). Every table names a person by one integer (the
-- columns are still called vk_id): a VK person's is their VK id, as it always was, so nothing
-- existing changes and VK needs no row here. An account of another messenger gets an id from
-- 10^15 up (storage/accounts.py), far above any VK user id and still exact in JavaScript.
CREATE TABLE accounts (
    id          INTEGER PRIMARY KEY,
    messenger   TEXT NOT NULL,
    external_id TEXT NOT NULL,
    -- The name the messenger gives with every update (MAX does; VK needs users.get).
    first_name  TEXT NOT NULL DEFAULT '',
    last_name   TEXT NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL,
    UNIQUE (messenger, external_id)
);

-- Messages the bot sent in such a messenger, by the integer the product knows them by (VK's
-- conversation_message_id; MAX's seq) and the messenger's own id (MAX's mid), which an edit
-- needs long after the send (an administrator's prompt is edited when the decision is made).
CREATE TABLE sent_messages (
    user_id   INTEGER NOT NULL,
    cmid      INTEGER NOT NULL,
    native_id TEXT NOT NULL,
    sent_at   INTEGER NOT NULL,
    PRIMARY KEY (user_id, cmid)
);
