-- A draft set aside while its owner uses another flow (one conversation state per person):
-- the application draft is parked here when the person opens, say, an invitation code step,
-- and comes back when they continue the application.
CREATE TABLE parked_states (
    peer_id    INTEGER PRIMARY KEY,
    state      TEXT NOT NULL,
    payload    TEXT NOT NULL DEFAULT '{}',
    parked_at  INTEGER NOT NULL
);
