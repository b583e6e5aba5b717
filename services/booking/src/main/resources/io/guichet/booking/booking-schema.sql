-- Booking's tables. Statements are idempotent: they run at every start.

-- A retried POST /reservations with the same Idempotency-Key finds its first answer here.
CREATE TABLE IF NOT EXISTS idempotency_keys (
  customer_id      TEXT        NOT NULL,
  idempotency_key  TEXT        NOT NULL,
  fingerprint      TEXT        NOT NULL,
  reservation_id   TEXT        NOT NULL,
  created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (customer_id, idempotency_key)
);

-- Each reservation's current status, projected from booking.reservation-requests and booking.reservations.
CREATE TABLE IF NOT EXISTS reservation_status (
  reservation_id  TEXT        PRIMARY KEY,
  event_id        TEXT        NOT NULL,
  offer_id        TEXT,
  customer_id     TEXT        NOT NULL,
  quantity        INT,
  status          TEXT        NOT NULL,
  seats           INT,
  amount_minor    BIGINT,
  currency        TEXT,
  expires_at      TIMESTAMPTZ,
  reason          TEXT,
  detail          TEXT,
  updated_at      TIMESTAMPTZ NOT NULL,
  version         INT         NOT NULL DEFAULT 1
);
-- The seats held or sold, for an offer sold by seat (issue 21): a JSON array of {section, row, seat}.
ALTER TABLE reservation_status ADD COLUMN IF NOT EXISTS assigned_seats TEXT;


-- Waiting rooms (issue 15). One row per event whose room was ever turned on; the room's writer (the projection of
-- booking.waiting-room) and the admission ticks move it, under its row lock.
CREATE TABLE IF NOT EXISTS waiting_rooms (
  event_id               TEXT             PRIMARY KEY,
  organizer_id           TEXT             NOT NULL,
  enabled                BOOLEAN          NOT NULL,
  opens_at               TIMESTAMPTZ      NOT NULL,
  admissions_per_minute  INT,
  pass_lifetime_seconds  INT              NOT NULL,
  drawn                  BOOLEAN          NOT NULL DEFAULT false,
  pre_queue              BIGINT           NOT NULL DEFAULT 0,
  last_position          BIGINT           NOT NULL DEFAULT 0,
  admitted_through       BIGINT           NOT NULL DEFAULT 0,
  credit                 DOUBLE PRECISION NOT NULL DEFAULT 0,
  ticked_at              TIMESTAMPTZ,
  sold_out               BOOLEAN          NOT NULL DEFAULT false
);

-- One place per account and event. A pre-queue arrival has a random draw and no position until the opening.
CREATE TABLE IF NOT EXISTS queue_places (
  event_id     TEXT        NOT NULL,
  customer_id  TEXT        NOT NULL,
  joined_at    TIMESTAMPTZ NOT NULL,
  draw         UUID,
  position     BIGINT,
  PRIMARY KEY (event_id, customer_id)
);
CREATE UNIQUE INDEX IF NOT EXISTS queue_places_position ON queue_places (event_id, position);

-- Each admission: places from_position to to_position let through at admitted_at (a pass's lifetime counts from it).
CREATE TABLE IF NOT EXISTS room_admissions (
  event_id       TEXT        NOT NULL,
  to_position    BIGINT      NOT NULL,
  from_position  BIGINT      NOT NULL,
  admitted_at    TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (event_id, to_position)
);

-- An event's seats held and requests undecided (a room's adaptive rate and sold-out check), and whether an admitted
-- buyer has asked yet.
CREATE INDEX IF NOT EXISTS reservation_status_event_customer ON reservation_status (event_id, customer_id);
-- What an admission tick reads four times a second: an event's seats in play, without the burst's rejections.
CREATE INDEX IF NOT EXISTS reservation_status_event_in_play ON reservation_status (event_id, offer_id)
  INCLUDE (seats, status) WHERE status IN ('REQUESTED', 'HELD', 'CONFIRMED');
