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
