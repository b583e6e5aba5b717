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
