package io.guichet.outbox;

import java.util.Map;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Where a consumer stands in each partition, kept in the {@code consumed_offsets} table of the
 * service's database, so that it is saved in the same transaction as the rows the records produced.
 */
public final class ConsumedPositions {

  /** A partition of a topic. */
  public record Position(String topic, int partition) {}

  private final DatabaseClient database;

  public ConsumedPositions(DatabaseClient database) {
    this.database = database;
  }

  /** The next offset to read in each partition, as stored. */
  public Mono<Map<Position, Long>> of(String consumer) {
    return database
        .sql("SELECT topic, partition_no, next_offset FROM consumed_offsets WHERE consumer = $1")
        .bind(0, consumer)
        .map(
            row ->
                Map.entry(
                    new Position(
                        row.get("topic", String.class), row.get("partition_no", Integer.class)),
                    row.get("next_offset", Long.class)))
        .all()
        .collectMap(Map.Entry::getKey, Map.Entry::getValue);
  }

  /**
   * Positions that are not where the consumer left them: another consumer of the group wrote them
   * (a partition moved while this one still worked on it), or a read model was swapped under it.
   * The transaction is rolled back, and the consumer reads from the stored positions again.
   */
  public static final class Moved extends IllegalStateException {
    Moved(String consumer, Position position) {
      super(consumer + ": the stored position of " + position + " moved under it");
    }
  }

  /**
   * Moves the positions from where this consumer last read or wrote them ({@code expected}; absent:
   * none stored) to {@code next}, inside the transaction of the rows they go with; fails with
   * {@link Moved}, so that the transaction rolls back, if any of them is no longer where expected.
   */
  public Mono<Void> advance(
      String consumer, Map<Position, Long> expected, Map<Position, Long> next) {
    return Flux.fromIterable(next.entrySet())
        .concatMap(
            entry -> {
              Position position = entry.getKey();
              Long from = expected.get(position);
              var statement =
                  from == null
                      ? database
                          .sql(
                              "INSERT INTO consumed_offsets (consumer, topic, partition_no,"
                                  + " next_offset) VALUES ($1, $2, $3, $4) ON CONFLICT"
                                  + " (consumer, topic, partition_no) DO NOTHING")
                          .bind(0, consumer)
                          .bind(1, position.topic())
                          .bind(2, position.partition())
                          .bind(3, entry.getValue())
                      : database
                          .sql(
                              "UPDATE consumed_offsets SET next_offset = $4 WHERE consumer = $1"
                                  + " AND topic = $2 AND partition_no = $3 AND next_offset = $5")
                          .bind(0, consumer)
                          .bind(1, position.topic())
                          .bind(2, position.partition())
                          .bind(3, entry.getValue())
                          .bind(4, from);
              return statement
                  .fetch()
                  .rowsUpdated()
                  .flatMap(
                      updated ->
                          updated == 1
                              ? Mono.<Void>empty()
                              : Mono.error(new Moved(consumer, position)));
            })
        .then();
  }

  /** Saves the next offsets; to be run inside the transaction of the rows they go with. */
  public Mono<Void> save(String consumer, Map<Position, Long> next) {
    return Flux.fromIterable(next.entrySet())
        .concatMap(
            entry ->
                database
                    .sql(
                        "INSERT INTO consumed_offsets (consumer, topic, partition_no, next_offset)"
                            + " VALUES ($1, $2, $3, $4) ON CONFLICT (consumer, topic, partition_no)"
                            + " DO UPDATE SET next_offset = EXCLUDED.next_offset")
                    .bind(0, consumer)
                    .bind(1, entry.getKey().topic())
                    .bind(2, entry.getKey().partition())
                    .bind(3, entry.getValue())
                    .fetch()
                    .rowsUpdated())
        .then();
  }
}
