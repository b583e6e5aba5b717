package io.guichet.booking.adapter.out.kafka;

import io.guichet.booking.domain.Outcome;
import io.guichet.booking.domain.Reservation;
import io.guichet.booking.domain.WaitingEntry;
import io.guichet.events.booking.HeldSeat;
import io.guichet.events.booking.HoldExpired;
import io.guichet.events.booking.RejectionReason;
import io.guichet.events.booking.ReservationCancelled;
import io.guichet.events.booking.ReservationConfirmed;
import io.guichet.events.booking.ReservationRejected;
import io.guichet.events.booking.SeatsHeld;
import io.guichet.events.booking.SoldSeat;
import io.guichet.events.booking.WaitingListStatus;
import io.guichet.events.booking.WaitingListUpdated;
import io.guichet.platform.ids.NameBasedIds;
import java.time.Instant;
import org.apache.avro.specific.SpecificRecord;

/**
 * The allocator's outcomes as the events of {@code booking.reservations}. Event ids are derived
 * from what the outcome is about, so a transaction retried after a crash re-emits the same ids.
 */
public final class OutcomeEvents {

  private OutcomeEvents() {}

  public static SpecificRecord toEvent(Outcome outcome, Instant now) {
    if (outcome instanceof Outcome.ListUpdated updated) {
      return listUpdated(updated, now);
    }
    Reservation r = outcome.reservation();
    if (outcome instanceof Outcome.Held held) {
      return SeatsHeld.newBuilder()
          .setId(id(r, "held", ""))
          .setOccurredAt(now)
          .setReservationId(r.id().value())
          .setEventId(r.event().value())
          .setOfferId(r.offer().value())
          .setCustomerId(r.customer().value())
          .setQuantity(r.quantity())
          .setSeats(r.seats())
          .setAmountMinor(r.amount().minor())
          .setCurrency(r.amount().currency())
          .setExpiresAt(r.expiresAt())
          .setAccessCodeId(r.accessCode())
          .setWaitingListEntryId(r.waitingListEntry())
          .setAssignedSeats(
              r.assignedSeats().stream()
                  .map(seat -> new HeldSeat(seat.section(), seat.row(), seat.seat()))
                  .toList())
          .setSeatsTogether(!held.split())
          .build();
    }
    if (outcome instanceof Outcome.Rejected rejected) {
      return ReservationRejected.newBuilder()
          .setId(id(r, "rejected", rejected.reason().name() + rejected.detail()))
          .setOccurredAt(now)
          .setReservationId(r.id().value())
          .setEventId(r.event().value())
          .setOfferId(r.offer().value())
          .setCustomerId(r.customer().value())
          .setReason(RejectionReason.valueOf(rejected.reason().name()))
          .setDetail(rejected.detail())
          .build();
    }
    if (outcome instanceof Outcome.Expired expired) {
      return HoldExpired.newBuilder()
          .setId(id(r, "expired", ""))
          .setOccurredAt(expired.at())
          .setReservationId(r.id().value())
          .setEventId(r.event().value())
          .setOfferId(r.offer().value())
          .setCustomerId(r.customer().value())
          .setSeats(r.seats())
          .build();
    }
    if (outcome instanceof Outcome.Confirmed confirmed) {
      return ReservationConfirmed.newBuilder()
          .setId(id(r, "confirmed", confirmed.paymentId()))
          .setOccurredAt(now)
          .setReservationId(r.id().value())
          .setEventId(r.event().value())
          .setOfferId(r.offer().value())
          .setCustomerId(r.customer().value())
          .setQuantity(r.quantity())
          .setSeats(r.seats())
          .setAmountMinor(r.amount().minor())
          .setCurrency(r.amount().currency())
          .setPaymentId(confirmed.paymentId())
          .setAssignedSeats(
              r.assignedSeats().stream()
                  .map(seat -> new SoldSeat(seat.section(), seat.row(), seat.seat()))
                  .toList())
          .build();
    }
    Outcome.Cancelled cancelled = (Outcome.Cancelled) outcome;
    return ReservationCancelled.newBuilder()
        .setId(id(r, "cancelled", ""))
        .setOccurredAt(now)
        .setReservationId(r.id().value())
        .setEventId(r.event().value())
        .setOfferId(r.offer().value())
        .setCustomerId(r.customer().value())
        .setSeats(r.seats())
        .setReason(cancelled.reason())
        .build();
  }

  private static SpecificRecord listUpdated(Outcome.ListUpdated updated, Instant now) {
    WaitingEntry entry = updated.entry();
    Reservation offered = updated.reservation();
    return WaitingListUpdated.newBuilder()
        .setId(id(entry.id(), "list-" + entry.status().name(), ""))
        .setOccurredAt(now)
        .setEntryId(entry.id())
        .setEventId(entry.event().value())
        .setOfferId(entry.offer().value())
        .setCustomerId(entry.customer().value())
        .setQuantity(entry.quantity())
        .setStatus(WaitingListStatus.valueOf(entry.status().name()))
        .setSequence(entry.sequence())
        .setReservationId(offered == null ? null : offered.id().value())
        .setOfferExpiresAt(
            offered == null || entry.status() != WaitingEntry.Status.OFFERED
                ? null
                : offered.expiresAt())
        .setDetail(updated.detail())
        .build();
  }

  private static String id(Reservation reservation, String kind, String discriminator) {
    return id(reservation.id().value(), kind, discriminator);
  }

  private static String id(String key, String kind, String discriminator) {
    String name = key + "|" + kind + "|" + discriminator;
    return NameBasedIds.of(name).toString();
  }
}
