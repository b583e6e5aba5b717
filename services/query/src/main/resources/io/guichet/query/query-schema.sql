-- Rebuilds of the read models asked for by admins, and how they went.
CREATE TABLE IF NOT EXISTS read_model_rebuilds (
  rebuild_id   TEXT        PRIMARY KEY,
  requested_by TEXT        NOT NULL,
  status       TEXT        NOT NULL,
  started_at   TIMESTAMPTZ NOT NULL,
  finished_at  TIMESTAMPTZ,
  detail       TEXT
);
-- One rebuild at a time, whichever instance runs it.
CREATE UNIQUE INDEX IF NOT EXISTS one_running_rebuild ON read_model_rebuilds ((true)) WHERE status = 'RUNNING';
