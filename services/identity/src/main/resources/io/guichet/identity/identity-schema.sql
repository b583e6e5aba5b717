-- identity's tables. Idempotent: run at every start.

-- Accounts. password_hash is a Spring Security encoded hash ({argon2}...); mfa_secret is the TOTP secret sealed with
-- AES-GCM under the master key (pending until mfa_enabled). failed_logins and locked_until throttle password guessing.
CREATE TABLE IF NOT EXISTS accounts (
  id             TEXT        PRIMARY KEY,
  email          TEXT        NOT NULL UNIQUE,
  password_hash  TEXT        NOT NULL,
  roles          TEXT[]      NOT NULL,
  events         TEXT[]      NOT NULL DEFAULT '{}',
  language       TEXT        NOT NULL,
  created_at     TIMESTAMPTZ NOT NULL,
  disabled_at    TIMESTAMPTZ,
  mfa_secret     BYTEA,
  mfa_enabled    BOOLEAN     NOT NULL DEFAULT FALSE,
  last_totp_step BIGINT      NOT NULL DEFAULT 0,
  failed_logins  INT         NOT NULL DEFAULT 0,
  locked_until   TIMESTAMPTZ
);

-- Recovery codes, as SHA-256 of the canonical code; each works once.
CREATE TABLE IF NOT EXISTS recovery_codes (
  account_id TEXT        NOT NULL REFERENCES accounts (id),
  code_hash  TEXT        NOT NULL,
  used_at    TIMESTAMPTZ,
  PRIMARY KEY (account_id, code_hash)
);

-- Refresh tokens, as SHA-256 of the token. A family is one login; each refresh uses one token and adds the next.
CREATE TABLE IF NOT EXISTS refresh_tokens (
  token_hash TEXT        PRIMARY KEY,
  family_id  TEXT        NOT NULL,
  account_id TEXT        NOT NULL REFERENCES accounts (id),
  issued_at  TIMESTAMPTZ NOT NULL,
  expires_at TIMESTAMPTZ NOT NULL,
  used_at    TIMESTAMPTZ,
  revoked_at TIMESTAMPTZ
);
CREATE INDEX IF NOT EXISTS refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX IF NOT EXISTS refresh_tokens_account ON refresh_tokens (account_id);

-- Signing keys: the private JWK sealed under the master key, the public JWK as published. valid_until is null for
-- the current key.
CREATE TABLE IF NOT EXISTS signing_keys (
  key_id      TEXT        PRIMARY KEY,
  sealed_key  BYTEA       NOT NULL,
  public_key  TEXT        NOT NULL,
  valid_from  TIMESTAMPTZ NOT NULL,
  valid_until TIMESTAMPTZ
);
