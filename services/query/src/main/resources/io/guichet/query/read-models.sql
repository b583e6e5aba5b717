-- The read models, in one schema (named where {schema} stands) so that a rebuild can fill a second schema from the
-- topics while the first one serves, then swap the two by renaming them in one transaction. Every statement is
-- idempotent. Statements are separated by lines holding only ";;".

CREATE SCHEMA IF NOT EXISTS {schema}
;;
-- The ids of the events projected: an event published twice (outbox relays deliver at least once) is projected once.
CREATE TABLE IF NOT EXISTS {schema}.projected_events (
  event_id TEXT PRIMARY KEY
)
;;
-- Events as scheduled by their organizer, and their sales window (catalog.events). Written by the availability
-- projection.
CREATE TABLE IF NOT EXISTS {schema}.events (
  event_id     TEXT PRIMARY KEY,
  organizer_id TEXT,
  title        TEXT,
  starts_at    TIMESTAMPTZ,
  ends_at      TIMESTAMPTZ,
  sales        TEXT    NOT NULL DEFAULT 'NOT_OPEN',
  cancelled    BOOLEAN NOT NULL DEFAULT FALSE
)
;;
-- Each offer's terms (catalog.events) and its seats held and sold (booking.reservations): the availability. Its own
-- projection writes it (a consumer group of its own, which skips the rejections a burst is made of), so that it keeps
-- up with the allocator whatever the backlog of the other read models. A hold may be projected before its offer
-- (they come from different topics): the row is then created with the counts first and gets its terms when
-- OfferPublished arrives.
CREATE TABLE IF NOT EXISTS {schema}.offers (
  event_id         TEXT    NOT NULL,
  offer_id         TEXT    NOT NULL,
  name             TEXT,
  category         TEXT,
  price_minor      BIGINT,
  currency         TEXT,
  seats_per_ticket INT,
  seats_on_sale    INT     NOT NULL DEFAULT 0,
  seats_held       INT     NOT NULL DEFAULT 0,
  seats_sold       INT     NOT NULL DEFAULT 0,
  PRIMARY KEY (event_id, offer_id)
)
;;
-- Where each reservation's seats are (HELD, CONFIRMED, or back on sale), as the availability projection saw its
-- outcomes; booking.reservations is ordered per reservation, so each outcome moves its seats once.
CREATE TABLE IF NOT EXISTS {schema}.seat_allocations (
  reservation_id TEXT PRIMARY KEY,
  allocation     TEXT NOT NULL
)
;;
-- Events sold by seat (issue 21): a reservation's seats (a JSON array of [section, row, seat]) with where they are
-- (its allocation), and changed_seq, the number of the last change of its seats: a seat map's live view sends the
-- changes after the last number its client has, in order (a seat freed by one reservation and held by another is
-- freed first). NULL for a reservation without seats of its own.
ALTER TABLE {schema}.seat_allocations ADD COLUMN IF NOT EXISTS event_id TEXT
;;
ALTER TABLE {schema}.seat_allocations ADD COLUMN IF NOT EXISTS seats TEXT
;;
ALTER TABLE {schema}.seat_allocations ADD COLUMN IF NOT EXISTS changed_seq BIGINT
;;
-- One sequence for the serving schema and a rebuilt one: after a rebuild replaces the serving schema, a live view
-- asking for the changes after its last number gets every seat of the rebuilt rows (numbered since), never a gap.
CREATE SEQUENCE IF NOT EXISTS public.seat_changes
;;
CREATE INDEX IF NOT EXISTS seat_allocations_changes ON {schema}.seat_allocations (event_id, changed_seq)
  WHERE seats IS NOT NULL
;;
-- The facts the availability projection applied (its own: the other projection reads the same topic).
CREATE TABLE IF NOT EXISTS {schema}.availability_facts (
  event_id TEXT PRIMARY KEY
)
;;
-- Each offer's sales: tickets sold, revenue of confirmations, refunds. Written by the reservations projection.
CREATE TABLE IF NOT EXISTS {schema}.offer_sales (
  event_id       TEXT   NOT NULL,
  offer_id       TEXT   NOT NULL,
  tickets_sold   INT    NOT NULL DEFAULT 0,
  revenue_minor  BIGINT NOT NULL DEFAULT 0,
  refunded_minor BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (event_id, offer_id)
)
;;
-- Revenue without VAT and the VAT, from payment's invoices less its credit notes (InvoiceIssued).
ALTER TABLE {schema}.offer_sales ADD COLUMN IF NOT EXISTS invoiced_net_minor BIGINT NOT NULL DEFAULT 0
;;
ALTER TABLE {schema}.offer_sales ADD COLUMN IF NOT EXISTS invoiced_tax_minor BIGINT NOT NULL DEFAULT 0
;;
-- Each reservation as its buyer sees it. status_rank orders the statuses, because a reservation's request
-- (booking.reservation-requests, keyed by event) and its outcomes (booking.reservations, keyed by reservation) come
-- from different topics and may be projected in either order. allocation is the last outcome, which says where its
-- seats are (held, sold or back on sale).
CREATE TABLE IF NOT EXISTS {schema}.reservations (
  reservation_id TEXT        PRIMARY KEY,
  customer_id    TEXT        NOT NULL,
  event_id       TEXT        NOT NULL,
  offer_id       TEXT,
  quantity       INT,
  seats          INT,
  amount_minor   BIGINT,
  currency       TEXT,
  status         TEXT        NOT NULL,
  status_rank    INT         NOT NULL,
  allocation     TEXT,
  reason         TEXT,
  expires_at     TIMESTAMPTZ,
  payment        TEXT,
  refunded_minor BIGINT      NOT NULL DEFAULT 0,
  created_at     TIMESTAMPTZ NOT NULL,
  updated_at     TIMESTAMPTZ NOT NULL,
  version        INT         NOT NULL DEFAULT 1
)
;;
-- The seats a reservation holds or bought, for an event sold by seat (issue 21): a JSON array of [section, row, seat].
ALTER TABLE {schema}.reservations ADD COLUMN IF NOT EXISTS assigned_seats TEXT
;;
CREATE INDEX IF NOT EXISTS reservations_by_customer ON {schema}.reservations (customer_id, created_at DESC, reservation_id)
;;
-- Room left in each page for the next version of its rows: a reservation is written once per fact (requested, then
-- held or rejected, ...), and an update that fits in its page touches no index (a HOT update).
ALTER TABLE {schema}.reservations SET (fillfactor = 70)
;;
-- Every status a reservation went through, when: what its followers are shown step by step, even when they arrive
-- late.
CREATE TABLE IF NOT EXISTS {schema}.reservation_steps (
  reservation_id TEXT        NOT NULL,
  status         TEXT        NOT NULL,
  status_rank    INT         NOT NULL,
  occurred_at    TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (reservation_id, status)
)
;;
-- Tickets (ticketing.tickets) and their first accepted scan (gate.scans). A scan may be projected before its ticket:
-- the row then exists with the scan only, and is listed once TicketIssued filled it.
CREATE TABLE IF NOT EXISTS {schema}.tickets (
  ticket_id         TEXT PRIMARY KEY,
  reservation_id    TEXT,
  customer_id       TEXT,
  event_id          TEXT NOT NULL,
  offer_id          TEXT,
  seat_index        INT,
  status            TEXT,
  revocation_reason TEXT,
  issued_at         TIMESTAMPTZ,
  revoked_at        TIMESTAMPTZ,
  scanned_at        TIMESTAMPTZ,
  scanned_gate      TEXT
)
;;
CREATE INDEX IF NOT EXISTS tickets_by_customer ON {schema}.tickets (customer_id, issued_at DESC, ticket_id)
;;
CREATE INDEX IF NOT EXISTS tickets_by_event ON {schema}.tickets (event_id)
;;
-- Sales per offer and hour (UTC) of confirmation.
CREATE TABLE IF NOT EXISTS {schema}.sales_by_hour (
  event_id      TEXT        NOT NULL,
  offer_id      TEXT        NOT NULL,
  hour          TIMESTAMPTZ NOT NULL,
  tickets       INT         NOT NULL,
  revenue_minor BIGINT      NOT NULL,
  PRIMARY KEY (event_id, hour, offer_id)
)
;;
-- Scans per event and gate.
CREATE TABLE IF NOT EXISTS {schema}.scans_by_gate (
  event_id TEXT NOT NULL,
  gate     TEXT NOT NULL,
  accepted INT  NOT NULL DEFAULT 0,
  rejected INT  NOT NULL DEFAULT 0,
  PRIMARY KEY (event_id, gate)
)
;;
-- Scans that let a ticket in twice: by a scanner offline although the ticket was already used (DUPLICATE_OFFLINE).
ALTER TABLE {schema}.scans_by_gate ADD COLUMN IF NOT EXISTS duplicates_offline INT NOT NULL DEFAULT 0
;;
-- Each double entry found when an offline scanner synced (gate.scans, DUPLICATE_OFFLINE), for the organizer.
CREATE TABLE IF NOT EXISTS {schema}.offline_duplicates (
  scan_id          TEXT        PRIMARY KEY,
  event_id         TEXT        NOT NULL,
  ticket_id        TEXT,
  gate             TEXT        NOT NULL,
  device           TEXT,
  scanned_at       TIMESTAMPTZ NOT NULL,
  first_scanned_at TIMESTAMPTZ,
  first_gate       TEXT
)
;;
CREATE INDEX IF NOT EXISTS offline_duplicates_by_event ON {schema}.offline_duplicates (event_id, scanned_at, scan_id)
;;
-- Hidden offers (OfferPublished v3): sold only with an access code, so left out of the public availability.
ALTER TABLE {schema}.offers ADD COLUMN IF NOT EXISTS hidden BOOLEAN NOT NULL DEFAULT FALSE
;;
-- The access code a reservation's tickets used (SeatsHeld v2), for its buyer and the organizer's code statistics.
ALTER TABLE {schema}.reservations ADD COLUMN IF NOT EXISTS access_code_id TEXT
;;
CREATE INDEX IF NOT EXISTS reservations_with_code ON {schema}.reservations (event_id, access_code_id)
  WHERE access_code_id IS NOT NULL
;;
-- Waiting lists (booking's WaitingListUpdated, keyed by entry): each entry as its buyer sees it. status_rank keeps a
-- redelivered or late fact from moving an entry back (WAITING 0, OFFERED 1, CLAIMED / LAPSED / REFUSED 2).
CREATE TABLE IF NOT EXISTS {schema}.waiting_list_entries (
  entry_id         TEXT        PRIMARY KEY,
  customer_id      TEXT        NOT NULL,
  event_id         TEXT        NOT NULL,
  offer_id         TEXT        NOT NULL,
  quantity         INT         NOT NULL,
  sequence         BIGINT      NOT NULL,
  status           TEXT        NOT NULL,
  status_rank      INT         NOT NULL,
  reservation_id   TEXT,
  offer_expires_at TIMESTAMPTZ,
  detail           TEXT,
  created_at       TIMESTAMPTZ NOT NULL,
  updated_at       TIMESTAMPTZ NOT NULL
)
;;
CREATE INDEX IF NOT EXISTS waiting_list_entries_by_customer ON {schema}.waiting_list_entries (customer_id, created_at DESC, entry_id)
;;
CREATE INDEX IF NOT EXISTS waiting_list_entries_waiting ON {schema}.waiting_list_entries (event_id, offer_id, sequence)
  WHERE status = 'WAITING'
;;
CREATE INDEX IF NOT EXISTS waiting_list_entries_by_offer ON {schema}.waiting_list_entries (event_id, offer_id)
;;
-- An entry's place while it waits: the waiting entries of its offer that joined before it, plus one.
CREATE OR REPLACE VIEW {schema}.waiting_list_places AS
SELECT w.*,
       CASE WHEN w.status = 'WAITING' THEN
         (SELECT count(*) FROM {schema}.waiting_list_entries o
           WHERE o.event_id = w.event_id AND o.offer_id = w.offer_id AND o.status = 'WAITING'
             AND o.sequence < w.sequence) + 1
       END AS place
  FROM {schema}.waiting_list_entries w
