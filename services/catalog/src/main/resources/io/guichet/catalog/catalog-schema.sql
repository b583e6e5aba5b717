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
