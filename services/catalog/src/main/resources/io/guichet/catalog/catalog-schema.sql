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
