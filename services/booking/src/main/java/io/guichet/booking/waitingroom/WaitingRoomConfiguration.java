package io.guichet.booking.waitingroom;

import io.guichet.access.AccessRules;
import io.guichet.booking.BookingProperties;
import io.guichet.booking.adapter.in.kafka.CatalogConsumer;
import io.guichet.booking.adapter.out.kafka.RequestPublisher;
import io.guichet.booking.waitingroom.adapter.in.web.RoomChanges;
import io.guichet.booking.waitingroom.adapter.out.kafka.RoomLogPublisher;
import io.guichet.booking.waitingroom.adapter.out.r2dbc.AdmissionTicks;
import io.guichet.booking.waitingroom.adapter.out.r2dbc.R2dbcRooms;
import io.guichet.booking.waitingroom.adapter.out.r2dbc.RoomWriter;
import io.guichet.booking.waitingroom.application.GuardedEvents;
import io.guichet.booking.waitingroom.application.WaitingRooms;
import io.guichet.events.waitingroom.AdmissionPaused;
import io.guichet.events.waitingroom.AdmissionResumed;
import io.guichet.events.waitingroom.BuyersAdmitted;
import io.guichet.events.waitingroom.QueueOrderDrawn;
import io.guichet.outbox.ChangeNotifications;
import io.guichet.outbox.ConsumedPositions;
import io.guichet.outbox.Outbox;
import io.guichet.outbox.OutboxRelay;
import io.guichet.outbox.PositionedConsumer;
import io.guichet.outbox.UnpooledConnections;
import io.guichet.platform.access.Role;
import io.guichet.platform.registry.SchemaRegistryClient;
import io.guichet.schemas.Topics;
import io.guichet.web.Periodic;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcProperties;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * The waiting rooms: the front door's endpoints, the one writer of places (a positioned consumer of
 * {@code booking.waiting-room}), the admission ticks, and the guard booking's reservations go
 * through.
 */
@Configuration(proxyBeanMethods = false)
class WaitingRoomConfiguration {

  /** Organizers (their own events, checked by the use case) and admins set rooms; buyers queue. */
  @Bean
  AccessRules waitingRoomAccess() {
    return rules ->
        rules
            .on("/waiting-rooms/*/queue", "/waiting-rooms/*/queue/**")
            .allow(Role.CUSTOMER)
            .on(HttpMethod.PUT, "/waiting-rooms/*")
            .allow(Role.ORGANIZER, Role.ADMIN)
            .on(HttpMethod.DELETE, "/waiting-rooms/*")
            .allow(Role.ORGANIZER, Role.ADMIN);
  }

  /** The pass key from configuration: at least 32 bytes, the same on every instance. */
  static byte[] passKey(BookingProperties properties) {
    String text = properties.waitingRoom().passKey();
    byte[] key;
    try {
      // Either Base64 alphabet (openssl rand -base64 writes the standard one), padded or not.
      key =
          text == null
              ? new byte[0]
              : Base64.getUrlDecoder()
                  .decode(text.strip().replace('+', '-').replace('/', '_').replace("=", ""));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("guichet.booking.waiting-room.pass-key must be Base64", e);
    }
    if (key.length < 32) {
      throw new IllegalStateException(
          "guichet.booking.waiting-room.pass-key (WAITING_ROOM_PASS_KEY) must hold at least 32"
              + " bytes of Base64; the standalone generates one");
    }
    return key;
  }

  @Bean
  R2dbcRooms roomReader(DatabaseClient database) {
    return new R2dbcRooms(database);
  }

  @Bean
  GuardedEvents guardedEvents(R2dbcRooms rooms, BookingProperties properties) {
    return new GuardedEvents(rooms, passKey(properties), Clock.systemUTC());
  }

  @Bean(destroyMethod = "dispose")
  @DependsOnDatabaseInitialization
  Disposable guardedEventsRefresh(GuardedEvents guarded, RoomChanges changes) {
    // Every room change is announced (NOTIFY, on commit), and so is each start of the listening:
    // reading then is enough; the clock only bounds a lost notification. Read every half second,
    // it was a fifth of an idle standalone's statements.
    return Periodic.everyAndOn(
        Duration.ZERO,
        Duration.ofSeconds(10),
        changes.any(),
        "reading the rooms that are on",
        guarded::refresh);
  }

  @Bean
  WaitingRooms waitingRooms(
      CatalogConsumer catalog,
      RequestPublisher publisher,
      R2dbcRooms rooms,
      GuardedEvents guarded,
      BookingProperties properties) {
    return new WaitingRooms(
        catalog,
        new RoomLogPublisher(publisher, Clock.systemUTC()),
        rooms,
        guarded,
        passKey(properties),
        Clock.systemUTC());
  }

  /** A connection of its own, outside the pool: it stays open to listen. */
  @Bean(destroyMethod = "close")
  RoomChanges roomChanges(R2dbcProperties r2dbc) {
    return new RoomChanges(
        new ChangeNotifications(
            UnpooledConnections.to(r2dbc.getUrl(), r2dbc.getUsername(), r2dbc.getPassword()),
            R2dbcRooms.CHANNEL));
  }

  @Bean(destroyMethod = "close")
  @DependsOnDatabaseInitialization
  PositionedConsumer roomWriter(
      BookingProperties properties,
      DatabaseClient database,
      ReactiveTransactionManager transactions) {
    return new PositionedConsumer(
            properties.bootstrapServers(),
            properties.schemaRegistryUrl(),
            properties.waitingRoom().consumerGroup(),
            List.of(Topics.WAITING_ROOM.name()),
            new ConsumedPositions(database),
            new RoomWriter(database, TransactionalOperator.create(transactions)))
        .start();
  }

  @Bean(destroyMethod = "dispose")
  @DependsOnDatabaseInitialization
  Disposable admissionTicks(
      BookingProperties properties,
      DatabaseClient database,
      ReactiveTransactionManager transactions,
      SchemaRegistryClient registry,
      OutboxRelay relay,
      CatalogConsumer catalog,
      GuardedEvents guarded) {
    Outbox outbox =
        new Outbox(database, registry)
            .warmUp(
                List.of(
                    QueueOrderDrawn.class,
                    BuyersAdmitted.class,
                    AdmissionPaused.class,
                    AdmissionResumed.class));
    AdmissionTicks ticks =
        new AdmissionTicks(
            database,
            TransactionalOperator.create(transactions),
            outbox,
            relay,
            catalog::event,
            properties.waitingRoom().adaptiveCeilingPerSecond());
    Duration tick = properties.waitingRoom().tick();
    // No room on (as the half-second refresh last read): no tick reads the database for nothing.
    return Periodic.every(
        tick,
        tick,
        "admitting from waiting rooms",
        () -> guarded.any() ? ticks.tick() : Mono.empty());
  }
}
