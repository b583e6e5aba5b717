-- Each buyer's account key: created when the account is first seen, never shown, never published. Sealed (AES-GCM)
-- with the service's master key.
CREATE TABLE IF NOT EXISTS account_keys (
  customer_id TEXT  PRIMARY KEY,
  sealed_key  BYTEA NOT NULL
);

-- Each purchase's key (one per reservation), sealed likewise.
CREATE TABLE IF NOT EXISTS purchase_keys (
  reservation_id TEXT  PRIMARY KEY,
  sealed_key     BYTEA NOT NULL
);

-- Each event's Ed25519 signing key: the private half sealed, the public half published with its tickets.
CREATE TABLE IF NOT EXISTS event_keys (
  event_id       TEXT  PRIMARY KEY,
  key_id         TEXT  NOT NULL UNIQUE,
  sealed_private BYTEA NOT NULL,
  public_key     TEXT  NOT NULL
);

-- Events cancelled: no ticket is issued for them any more.
CREATE TABLE IF NOT EXISTS cancelled_events (
  event_id TEXT PRIMARY KEY
);

CREATE TABLE IF NOT EXISTS tickets (
  ticket_id       TEXT        PRIMARY KEY,
  reservation_id  TEXT        NOT NULL,
  event_id        TEXT        NOT NULL,
  offer_id        TEXT        NOT NULL,
  customer_id     TEXT        NOT NULL,
  seat_index      INT         NOT NULL,
  key_id          TEXT        NOT NULL,
  key_fingerprint TEXT        NOT NULL,
  status          TEXT        NOT NULL,
  revoke_reason   TEXT,
  issued_at       TIMESTAMPTZ NOT NULL,
  UNIQUE (reservation_id, seat_index)
);
CREATE INDEX IF NOT EXISTS tickets_by_event ON tickets (event_id) WHERE status = 'ISSUED';

-- Whether an event's tickets may also be shown as a static code (EventScheduled.staticCodesAllowed, catalog.events);
-- an event not in it (none seen yet) allows them, as before the setting existed.
CREATE TABLE IF NOT EXISTS event_code_policies (
  event_id     TEXT    PRIMARY KEY,
  static_codes BOOLEAN NOT NULL
);
