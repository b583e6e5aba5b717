#!/usr/bin/env bash
# Creates Guichet's topics and their dead-letter topics; existing topics are left alone.
# Rendered from io.guichet.schemas.Topics: do not edit. Regenerate with
#   ./mvnw -q -pl services/platform exec:java -Dexec.mainClass=io.guichet.platform.topics.TopicScript
set -euo pipefail
BOOTSTRAP="${BOOTSTRAP:-kafka:9092}"
REPLICATION_FACTOR="${REPLICATION_FACTOR:-1}"
KAFKA_TOPICS="${KAFKA_TOPICS:-/opt/kafka/bin/kafka-topics.sh}"

create() {
  local topic=$1 partitions=$2
  shift 2
  "$KAFKA_TOPICS" --bootstrap-server "$BOOTSTRAP" --create --if-not-exists \
    --topic "$topic" --partitions "$partitions" --replication-factor "$REPLICATION_FACTOR" "$@"
}

# Accounts created by identity. Key: accountId.
create identity.accounts 6 --config cleanup.policy=delete --config retention.ms=-1
create identity.accounts.dlt 6 --config cleanup.policy=delete --config retention.ms=-1
# Public keys that verify identity's tokens; compacted so a late service learns every key. Key: keyId.
create identity.signing-keys 1 --config cleanup.policy=compact
create identity.signing-keys.dlt 1 --config cleanup.policy=delete --config retention.ms=-1
# Accounts whose tokens every service refuses (disabled); compacted, so a service that starts late learns each one. Key: accountId.
create identity.account-access 1 --config cleanup.policy=compact
create identity.account-access.dlt 1 --config cleanup.policy=delete --config retention.ms=-1
# Events, offers, sales windows and access codes (as digests), in order per event. Key: eventId.
create catalog.events 6 --config cleanup.policy=delete --config retention.ms=-1
create catalog.events.dlt 6 --config cleanup.policy=delete --config retention.ms=-1
# Waiting rooms turned on or off and buyers' arrivals, keyed by event: a buyer's place follows from this log, read in order by the room's one writer. Key: eventId.
create booking.waiting-room 6 --config cleanup.policy=delete --config retention.ms=31536000000
create booking.waiting-room.dlt 6 --config cleanup.policy=delete --config retention.ms=-1
# What each waiting room decided, in order per event: the pre-queue drawn, places admitted, admission paused when sold out and resumed. Key: eventId.
create booking.admissions 6 --config cleanup.policy=delete --config retention.ms=31536000000
create booking.admissions.dlt 6 --config cleanup.policy=delete --config retention.ms=-1
# Buyers' requests, cancellations and waiting-list joins, keyed by event so one allocator decides them in order. Key: eventId.
create booking.reservation-requests 6 --config cleanup.policy=delete --config retention.ms=31536000000
create booking.reservation-requests.dlt 6 --config cleanup.policy=delete --config retention.ms=-1
# What the allocator decided, in order per reservation (and per waiting-list entry). Key: reservationId.
create booking.reservations 6 --config cleanup.policy=delete --config retention.ms=-1
create booking.reservations.dlt 6 --config cleanup.policy=delete --config retention.ms=-1
# Payments, failures, refunds and invoices, in order per reservation. Key: reservationId.
create payment.payments 6 --config cleanup.policy=delete --config retention.ms=-1
create payment.payments.dlt 6 --config cleanup.policy=delete --config retention.ms=-1
# Issued, revoked and offered (transfers) tickets, in order per ticket. Key: ticketId.
create ticketing.tickets 6 --config cleanup.policy=delete --config retention.ms=-1
create ticketing.tickets.dlt 6 --config cleanup.policy=delete --config retention.ms=-1
# Scans at the gates, in order per ticket. Key: ticketId.
create gate.scans 6 --config cleanup.policy=delete --config retention.ms=-1
create gate.scans.dlt 6 --config cleanup.policy=delete --config retention.ms=-1
