-- The outbox: events written in the same transaction as the rows they describe, relayed to Kafka in id order.
CREATE TABLE IF NOT EXISTS outbox (
  id          BIGSERIAL   PRIMARY KEY,
  topic       TEXT        NOT NULL,
  record_key  TEXT        NOT NULL,
  payload     BYTEA       NOT NULL,
  created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
