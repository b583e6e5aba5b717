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

-- Invoicing (its own consumer, group <consumer-group>-invoicing). What invoices say of events, offers and buyers,
-- from catalog.events and identity.accounts.
CREATE TABLE IF NOT EXISTS invoice_events (
  event_id           TEXT        PRIMARY KEY,
  organizer_id       TEXT        NOT NULL,
  title              TEXT        NOT NULL,
  venue              TEXT        NOT NULL,
  starts_at          TIMESTAMPTZ NOT NULL,
  time_zone          TEXT        NOT NULL,
  prices_include_tax BOOLEAN     NOT NULL
);
CREATE TABLE IF NOT EXISTS invoice_offers (
  event_id         TEXT NOT NULL,
  offer_id         TEXT NOT NULL,
  name             TEXT NOT NULL,
  vat_basis_points INT  NOT NULL,
  PRIMARY KEY (event_id, offer_id)
);
CREATE TABLE IF NOT EXISTS invoice_accounts (
  account_id TEXT PRIMARY KEY,
  email      TEXT NOT NULL,
  language   TEXT NOT NULL
);

-- What is to be invoiced: a confirmed purchase (INVOICE) or its refund (CREDIT_NOTE), one of each per reservation,
-- until it is issued (an invoice once its event and offer are known, a credit note once its invoice exists).
CREATE TABLE IF NOT EXISTS invoice_requests (
  reservation_id TEXT        NOT NULL,
  kind           TEXT        NOT NULL,
  event_id       TEXT        NOT NULL,
  offer_id       TEXT,
  customer_id    TEXT        NOT NULL,
  quantity       INT         NOT NULL,
  gross_minor    BIGINT      NOT NULL,
  currency       TEXT        NOT NULL,
  requested_at   TIMESTAMPTZ NOT NULL,
  issued         BOOLEAN     NOT NULL DEFAULT false,
  PRIMARY KEY (reservation_id, kind)
);
CREATE INDEX IF NOT EXISTS invoice_requests_pending ON invoice_requests (requested_at) WHERE NOT issued;

-- Each organizer's last document number: invoices and credit notes share one sequence, 1, 2, 3... A number is taken
-- under this row's lock in the transaction that writes its document, so a rolled-back transaction gives it back: no
-- gap, no number twice, whatever the number of instances.
CREATE TABLE IF NOT EXISTS invoice_sequences (
  organizer_id  TEXT   PRIMARY KEY,
  last_sequence BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS invoices (
  invoice_id          TEXT        PRIMARY KEY,
  kind                TEXT        NOT NULL,
  organizer_id        TEXT        NOT NULL,
  sequence            BIGINT      NOT NULL,
  number              TEXT        NOT NULL,
  reservation_id      TEXT        NOT NULL,
  event_id            TEXT        NOT NULL,
  offer_id            TEXT,
  customer_id         TEXT        NOT NULL,
  quantity            INT         NOT NULL,
  net_minor           BIGINT      NOT NULL,
  tax_minor           BIGINT      NOT NULL,
  gross_minor         BIGINT      NOT NULL,
  currency            TEXT        NOT NULL,
  vat_basis_points    INT         NOT NULL,
  credited_invoice_id TEXT,
  issued_at           TIMESTAMPTZ NOT NULL,
  UNIQUE (organizer_id, sequence),
  UNIQUE (reservation_id, kind)
);
CREATE INDEX IF NOT EXISTS invoices_by_customer ON invoices (customer_id, issued_at DESC);
CREATE INDEX IF NOT EXISTS invoices_by_organizer ON invoices (organizer_id, sequence);
