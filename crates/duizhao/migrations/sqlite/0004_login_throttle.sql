-- Login throttling that cannot race: one row per bucket (an account, a client address, a
-- trusted browser), reserved atomically by an upsert before a password is checked, instead of
-- failures counted before the check and recorded after it. Bucket keys are SHA-256 hashes, so
-- whatever a client sends as a username, a row stays small.
-- Expand only: login_failures stays for app servers of the previous version during a deploy;
-- a later migration drops it.
CREATE TABLE login_throttle (
    bucket TEXT PRIMARY KEY,
    attempts INTEGER NOT NULL,
    window_start INTEGER NOT NULL
);
CREATE INDEX login_throttle_by_window ON login_throttle (window_start);

-- Browsers that have signed in to an account before ("device cookies", OWASP): a login from
-- one of them is throttled on its own, so that strangers' failures cannot lock the account's
-- owner out. Stored as the SHA-256 of the cookie's token.
CREATE TABLE login_devices (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    last_used INTEGER NOT NULL
);
CREATE INDEX login_devices_by_user ON login_devices (user_id);
