-- The catalog's events, each with its offers, as one document per event (the aggregate the rules decide on).
CREATE TABLE IF NOT EXISTS catalog_events (
  event_id     TEXT        PRIMARY KEY,
  organizer_id TEXT        NOT NULL,
  status       TEXT        NOT NULL,
  state        JSONB       NOT NULL,
  version      INT         NOT NULL DEFAULT 1,
  created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS catalog_events_by_organizer ON catalog_events (organizer_id);
-- When open sales close by themselves; the sales window closer looks for the ones that are due.
ALTER TABLE catalog_events ADD COLUMN IF NOT EXISTS sales_close_at TIMESTAMPTZ;
CREATE INDEX IF NOT EXISTS catalog_events_due_to_close ON catalog_events (sales_close_at)
  WHERE status = 'ON_SALE';
-- Access codes (presales, hidden offers, reductions). Their uses are counted by booking's allocator, which learns each
-- code from AccessCodeCreated (its digest only); the code buyers type is kept here alone.
CREATE TABLE IF NOT EXISTS access_codes (
  code_id       TEXT        PRIMARY KEY,
  event_id      TEXT        NOT NULL,
  code          TEXT        NOT NULL,
  offer_ids     TEXT[]      NOT NULL,
  uses          INT         NOT NULL,
  valid_from    TIMESTAMPTZ,
  valid_until   TIMESTAMPTZ,
  presale       BOOLEAN     NOT NULL,
  discount_bp   INT         NOT NULL,
  created_at    TIMESTAMPTZ NOT NULL,
  UNIQUE (event_id, code)
);
CREATE INDEX IF NOT EXISTS access_codes_by_event ON access_codes (event_id, created_at DESC);
-- Seat layouts (sections, rows, seats) and their versions: a revision adds a version, the earlier ones stay. The
-- layout is kept as imported (document) and expanded, one entry per seat (layout).
CREATE TABLE IF NOT EXISTS seat_layouts (
  layout_id     TEXT        PRIMARY KEY,
  organizer_id  TEXT        NOT NULL,
  version       INT         NOT NULL,
  created_at    TIMESTAMPTZ NOT NULL,
  updated_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX IF NOT EXISTS seat_layouts_by_organizer ON seat_layouts (organizer_id, updated_at DESC);
CREATE TABLE IF NOT EXISTS seat_layout_versions (
  layout_id     TEXT        NOT NULL REFERENCES seat_layouts (layout_id),
  version       INT         NOT NULL,
  document      JSONB       NOT NULL,
  layout        JSONB       NOT NULL,
  created_at    TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (layout_id, version)
);
