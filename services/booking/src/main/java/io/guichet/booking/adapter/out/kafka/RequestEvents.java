package io.guichet.booking.adapter.out.kafka;

import io.guichet.booking.application.ReservationView;
import io.guichet.booking.application.ReserveCommand;
import io.guichet.events.booking.RequestedSeat;
import io.guichet.events.booking.ReservationCancellationRequested;
import io.guichet.events.booking.ReservationRequested;
import io.guichet.events.booking.WaitingListJoined;
import io.guichet.platform.ids.AccessCodes;
import java.time.Instant;
import java.util.UUID;

/** The command side's events, built from its own types. */
public final class RequestEvents {

  private RequestEvents() {}

  public static ReservationRequested requested(String reservationId, ReserveCommand command) {
    return ReservationRequested.newBuilder()
        .setId(UUID.randomUUID().toString())
        .setOccurredAt(Instant.now())
        .setReservationId(reservationId)
        .setEventId(command.event())
        .setOfferId(command.offer())
        .setCustomerId(command.customer())
        .setQuantity(command.quantity())
        .setAccessCodeDigest(
            command.accessCode() == null
                ? null
                : AccessCodes.digest(command.event(), command.accessCode()))
        .setSeats(
            command.seats().stream()
                .map(seat -> new RequestedSeat(seat.section(), seat.row(), seat.seat()))
                .toList())
        .build();
  }

  public static WaitingListJoined waitingListJoined(String entryId, ReserveCommand command) {
    return WaitingListJoined.newBuilder()
        .setId(UUID.randomUUID().toString())
        .setOccurredAt(Instant.now())
        .setEntryId(entryId)
        .setEventId(command.event())
        .setOfferId(command.offer())
        .setCustomerId(command.customer())
        .setQuantity(command.quantity())
        .build();
  }

  public static ReservationCancellationRequested cancellationRequested(
      ReservationView reservation, String reason) {
    return ReservationCancellationRequested.newBuilder()
        .setId(UUID.randomUUID().toString())
        .setOccurredAt(Instant.now())
        .setReservationId(reservation.reservationId())
        .setEventId(reservation.event())
        .setCustomerId(reservation.customer())
        .setReason(reason)
        .build();
  }
}
