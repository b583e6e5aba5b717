-- Reservations payment may charge, projected from booking's outcomes (positions in consumed_offsets, same transaction).
CREATE TABLE IF NOT EXISTS payables (
  reservation_id TEXT        PRIMARY KEY,
  event_id       TEXT        NOT NULL,
  customer_id    TEXT        NOT NULL,
  amount_minor   BIGINT      NOT NULL,
  currency       TEXT        NOT NULL,
  expires_at     TIMESTAMPTZ NOT NULL,
  status         TEXT        NOT NULL
);

-- Attempts to pay. The partial unique index allows one processing or captured attempt per reservation: a reservation
-- is never charged twice, however many requests race.
CREATE TABLE IF NOT EXISTS payments (
  payment_id         TEXT        PRIMARY KEY,
  reservation_id     TEXT        NOT NULL,
  attempt            INT         NOT NULL,
  amount_minor       BIGINT      NOT NULL,
  currency           TEXT        NOT NULL,
  method             TEXT        NOT NULL,
  status             TEXT        NOT NULL,
  failure_reason     TEXT,
  failure_detail     TEXT,
  provider           TEXT        NOT NULL,
  provider_reference TEXT,
  created_at         TIMESTAMPTZ NOT NULL,
  updated_at         TIMESTAMPTZ NOT NULL,
  UNIQUE (reservation_id, attempt)
);
CREATE UNIQUE INDEX IF NOT EXISTS payments_one_live_per_reservation
  ON payments (reservation_id) WHERE status IN ('PROCESSING', 'CAPTURED');
CREATE INDEX IF NOT EXISTS payments_processing ON payments (created_at) WHERE status = 'PROCESSING';

-- Refunds owed: of a captured payment that booking rejected (the hold had ended or was cancelled first), and of paid
-- reservations of a cancelled event. One per payment; a worker gives the money back and publishes PaymentRefunded.
CREATE TABLE IF NOT EXISTS refunds (
  payment_id  TEXT        PRIMARY KEY REFERENCES payments (payment_id),
  reason      TEXT        NOT NULL,
  status      TEXT        NOT NULL,
  refund_id   TEXT,
  created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS refunds_pending ON refunds (created_at) WHERE status = 'PENDING';

-- Provider webhook deliveries already applied, by the provider's event id: a redelivery changes nothing.
CREATE TABLE IF NOT EXISTS provider_events (
  event_id    TEXT        PRIMARY KEY,
  received_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
