-- Booking's tables. Statements are idempotent: they run at every start.

-- A retried POST /reservations with the same Idempotency-Key finds its first answer here.
CREATE TABLE IF NOT EXISTS idempotency_keys (
  customer_id      TEXT        NOT NULL,
  idempotency_key  TEXT        NOT NULL,
  fingerprint      TEXT        NOT NULL,
  reservation_id   TEXT        NOT NULL,
  created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (customer_id, idempotency_key)
);

-- Each reservation's current status, projected from booking.reservation-requests and booking.reservations.
CREATE TABLE IF NOT EXISTS reservation_status (
  reservation_id  TEXT        PRIMARY KEY,
  event_id        TEXT        NOT NULL,
  offer_id        TEXT,
  customer_id     TEXT        NOT NULL,
  quantity        INT,
  status          TEXT        NOT NULL,
  seats           INT,
  amount_minor    BIGINT,
  currency        TEXT,
  expires_at      TIMESTAMPTZ,
  reason          TEXT,
  detail          TEXT,
  updated_at      TIMESTAMPTZ NOT NULL,
  version         INT         NOT NULL DEFAULT 1
);

