-- Each buyer's account key: created when the account is first seen, never shown, never published. Sealed (AES-GCM)
-- with the service's master key.
CREATE TABLE IF NOT EXISTS account_keys (
  customer_id TEXT  PRIMARY KEY,
  sealed_key  BYTEA NOT NULL
);

-- Each purchase's key (one per reservation, and one per accepted transfer, under the transfer's id), sealed likewise.
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
  issued_at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX IF NOT EXISTS tickets_by_event ON tickets (event_id) WHERE status = 'ISSUED';

-- Whether an event's tickets may also be shown as a static code (EventScheduled.staticCodesAllowed, catalog.events);
-- an event not in it (none seen yet) allows them, as before the setting existed.
CREATE TABLE IF NOT EXISTS event_code_policies (
  event_id     TEXT    PRIMARY KEY,
  static_codes BOOLEAN NOT NULL
);

-- Transfers. A seat's tickets form a chain: generation 0 issued on the purchase, each accepted transfer revoking the
-- current one (TRANSFERRED) and issuing the next to the recipient, with a new purchase key (purchase_id: the
-- transfer's id; NULL: the reservation's). A confirmation delivered again conflicts on generation 0 and issues nothing;
-- at most one ticket of a seat is valid at any time, which the database itself enforces.
ALTER TABLE tickets ADD COLUMN IF NOT EXISTS generation INT NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN IF NOT EXISTS purchase_id TEXT;
ALTER TABLE tickets ADD COLUMN IF NOT EXISTS transferred_from TEXT;
ALTER TABLE tickets DROP CONSTRAINT IF EXISTS tickets_reservation_id_seat_index_key;
CREATE UNIQUE INDEX IF NOT EXISTS tickets_seat_generation ON tickets (reservation_id, seat_index, generation);
CREATE UNIQUE INDEX IF NOT EXISTS tickets_one_valid_per_seat ON tickets (reservation_id, seat_index)
  WHERE status = 'ISSUED';
CREATE INDEX IF NOT EXISTS tickets_by_customer ON tickets (customer_id);

-- Whether an event's tickets may be transferred (EventScheduled.transfersAllowed); yes for an event not in it.
ALTER TABLE event_code_policies ADD COLUMN IF NOT EXISTS transfers BOOLEAN NOT NULL DEFAULT true;

-- Accounts' email addresses (AccountRegistered, identity.accounts): a transfer is addressed to an email, and the
-- account that accepts it must be registered under that address.
CREATE TABLE IF NOT EXISTS account_emails (
  account_id TEXT PRIMARY KEY,
  email      TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS account_emails_by_email ON account_emails (email);

-- Tickets a gate has let in (TicketScanned ACCEPTED, gate.scans): a used ticket is not transferred.
CREATE TABLE IF NOT EXISTS used_tickets (
  ticket_id TEXT PRIMARY KEY
);

-- Transfers offered by a ticket's holder to an email address: OFFERED until the recipient accepts (ACCEPTED, with the
-- ticket issued to them) or the holder cancels (CANCELLED). At most one open offer per ticket.
CREATE TABLE IF NOT EXISTS transfers (
  transfer_id   TEXT        PRIMARY KEY,
  ticket_id     TEXT        NOT NULL,
  event_id      TEXT        NOT NULL,
  from_customer TEXT        NOT NULL,
  to_email      TEXT        NOT NULL,
  status        TEXT        NOT NULL,
  to_customer   TEXT,
  new_ticket_id TEXT,
  offered_at    TIMESTAMPTZ NOT NULL,
  decided_at    TIMESTAMPTZ
);
CREATE UNIQUE INDEX IF NOT EXISTS transfers_one_open_per_ticket ON transfers (ticket_id) WHERE status = 'OFFERED';
CREATE INDEX IF NOT EXISTS transfers_by_sender ON transfers (from_customer);
CREATE INDEX IF NOT EXISTS transfers_by_recipient ON transfers (to_email);

-- The seat a ticket admits to, for an offer sold by seat (issue 21): its reservation's seats in seat_index order
-- (ReservationConfirmed.assignedSeats); NULL for general admission. A transferred ticket keeps its seat.
ALTER TABLE tickets ADD COLUMN IF NOT EXISTS seat_section TEXT;
ALTER TABLE tickets ADD COLUMN IF NOT EXISTS seat_row TEXT;
ALTER TABLE tickets ADD COLUMN IF NOT EXISTS seat_label TEXT;
