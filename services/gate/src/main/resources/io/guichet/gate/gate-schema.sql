-- Events' public signing keys, from TicketIssued (ticketing.tickets).
CREATE TABLE IF NOT EXISTS event_keys (
  key_id     TEXT PRIMARY KEY,
  event_id   TEXT NOT NULL,
  public_key TEXT NOT NULL
);

-- Each ticket as the gate knows it, keyed by ticket id. The first accepted scan sets first_scanned_at under the row's
-- lock, so that of two gates scanning one ticket at once exactly one is accepted.
CREATE TABLE IF NOT EXISTS gate_tickets (
  ticket_id        TEXT        PRIMARY KEY,
  event_id         TEXT        NOT NULL,
  key_id           TEXT        NOT NULL,
  key_fingerprint  TEXT        NOT NULL,
  status           TEXT        NOT NULL,
  first_scanned_at TIMESTAMPTZ,
  first_gate       TEXT
);
CREATE INDEX IF NOT EXISTS gate_tickets_revoked ON gate_tickets (event_id) WHERE status = 'REVOKED';

-- The ticket's rotating-code key as ticketing sealed it for the gate (TicketIssued.sealedCodeKey; NULL for tickets
-- issued before rotating codes): opened with the shared ticket code key when a code is checked, never stored open.
ALTER TABLE gate_tickets ADD COLUMN IF NOT EXISTS sealed_code_key BYTEA;

-- The seat the ticket admits to, as the steward reads it out ("Stalls A-6"), for an offer sold by seat (issue 21:
-- TicketIssued.seat); NULL for general admission.
ALTER TABLE gate_tickets ADD COLUMN IF NOT EXISTS seat TEXT;

-- Scans devices made offline, one row each (the device's scan id), so that a sync cut short and retried records each
-- scan once; the verdict is kept to answer the retry.
CREATE TABLE IF NOT EXISTS offline_scans (
  scan_id    TEXT        PRIMARY KEY,
  device     TEXT        NOT NULL,
  synced_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
  ticket_id  TEXT,
  event_id   TEXT,
  gate       TEXT,
  outcome    TEXT,
  reason     TEXT,
  detail     TEXT,
  first_scanned_at TIMESTAMPTZ,
  first_gate TEXT,
  scanned_at TIMESTAMPTZ
);
-- An event's tickets, for its scanner bundle.
CREATE INDEX IF NOT EXISTS gate_tickets_by_event ON gate_tickets (event_id);

-- Whether an event's tickets may be shown as a static code (EventScheduled.staticCodesAllowed, catalog.events); an
-- event not in it allows them, as before the setting existed.
CREATE TABLE IF NOT EXISTS event_code_policies (
  event_id     TEXT    PRIMARY KEY,
  static_codes BOOLEAN NOT NULL
);
