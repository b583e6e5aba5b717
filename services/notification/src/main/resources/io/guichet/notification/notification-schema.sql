-- Accounts' addresses and languages (identity.accounts): whom to write to, and in which language.
CREATE TABLE IF NOT EXISTS accounts (
  account_id TEXT PRIMARY KEY,
  email      TEXT NOT NULL,
  language   TEXT NOT NULL
);

-- Events as the emails name them (catalog.events).
CREATE TABLE IF NOT EXISTS events (
  event_id   TEXT PRIMARY KEY,
  title      TEXT NOT NULL,
  starts_at  TIMESTAMPTZ NOT NULL,
  time_zone  TEXT NOT NULL,
  venue      TEXT NOT NULL
);

-- Reservations that hold or bought seats (booking.reservations): whom to tell when their event is cancelled.
CREATE TABLE IF NOT EXISTS reservations (
  reservation_id TEXT PRIMARY KEY,
  customer_id    TEXT NOT NULL,
  event_id       TEXT NOT NULL,
  status         TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS reservations_by_event ON reservations (event_id);

-- One row per email to send, keyed by the fact it tells of (and its recipient, where one fact writes to several):
-- a fact delivered twice finds its email already there. Written in the transaction of the consumed positions.
-- status: PENDING (to send), SENDING (claimed by a sender), RETRYING (on a retry topic), SENT, DEAD (dead-lettered).
CREATE TABLE IF NOT EXISTS emails (
  email_id    TEXT        PRIMARY KEY,
  kind        TEXT        NOT NULL,
  account_id  TEXT        NOT NULL,
  facts       TEXT        NOT NULL,
  status      TEXT        NOT NULL,
  attempts    INT         NOT NULL DEFAULT 0,
  last_error  TEXT,
  recipient   TEXT,
  language    TEXT,
  created_at  TIMESTAMPTZ NOT NULL,
  claimed_at  TIMESTAMPTZ,
  sent_at     TIMESTAMPTZ
);
CREATE INDEX IF NOT EXISTS emails_pending ON emails (created_at) WHERE status = 'PENDING';
CREATE INDEX IF NOT EXISTS emails_sending ON emails (claimed_at) WHERE status = 'SENDING';

-- Partners' webhook endpoints: what they subscribed to, and the secret their deliveries are signed with (sealed
-- with the service's master key).
CREATE TABLE IF NOT EXISTS webhooks (
  webhook_id    TEXT        PRIMARY KEY,
  url           TEXT        NOT NULL,
  event_types   TEXT[]      NOT NULL,
  description   TEXT,
  sealed_secret BYTEA       NOT NULL,
  active        BOOLEAN     NOT NULL DEFAULT TRUE,
  created_by    TEXT        NOT NULL,
  created_at    TIMESTAMPTZ NOT NULL
);

-- One delivery per endpoint and fact (written with the consumed positions: a redelivered fact adds none), in seq
-- order per endpoint and ordering key (the reservation, else the event or ticket): a delivery waits while an earlier
-- one of its key is undelivered. status: PENDING, SENDING, RETRYING, DELIVERED, DEAD.
CREATE TABLE IF NOT EXISTS deliveries (
  seq              BIGSERIAL   PRIMARY KEY,
  delivery_id      TEXT        NOT NULL UNIQUE,
  webhook_id       TEXT        NOT NULL REFERENCES webhooks (webhook_id),
  event_id         TEXT        NOT NULL,
  event_type       TEXT        NOT NULL,
  ordering_key     TEXT        NOT NULL,
  payload          TEXT        NOT NULL,
  status           TEXT        NOT NULL,
  attempts         INT         NOT NULL DEFAULT 0,
  last_status_code INT,
  last_error       TEXT,
  created_at       TIMESTAMPTZ NOT NULL,
  window_start     TIMESTAMPTZ NOT NULL,
  next_attempt_at  TIMESTAMPTZ NOT NULL,
  claimed_at       TIMESTAMPTZ,
  delivered_at     TIMESTAMPTZ,
  UNIQUE (webhook_id, event_id)
);
CREATE INDEX IF NOT EXISTS deliveries_due ON deliveries (next_attempt_at) WHERE status IN ('PENDING', 'RETRYING');
CREATE INDEX IF NOT EXISTS deliveries_by_key ON deliveries (webhook_id, ordering_key, seq)
  WHERE status IN ('PENDING', 'RETRYING', 'SENDING');
CREATE INDEX IF NOT EXISTS deliveries_log ON deliveries (webhook_id, seq DESC);
