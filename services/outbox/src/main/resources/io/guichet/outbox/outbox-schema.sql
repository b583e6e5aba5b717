-- The outbox: events written in the same transaction as the rows they describe, relayed to Kafka in id order.
CREATE TABLE IF NOT EXISTS outbox (
  id          BIGSERIAL   PRIMARY KEY,
  topic       TEXT        NOT NULL,
  record_key  TEXT        NOT NULL,
  payload     BYTEA       NOT NULL,
  created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- The W3C trace context of the request or record that caused the event, sent as its Kafka header.
ALTER TABLE outbox ADD COLUMN IF NOT EXISTS traceparent TEXT;

-- Where each consumer that writes tables stands in each partition, written in the transaction of the rows it
-- produced (so that a replay changes nothing).
CREATE TABLE IF NOT EXISTS consumed_offsets (
  consumer     TEXT   NOT NULL,
  topic        TEXT   NOT NULL,
  partition_no INT    NOT NULL,
  next_offset  BIGINT NOT NULL,
  PRIMARY KEY (consumer, topic, partition_no)
);
