package io.guichet.registry.application;

import io.guichet.registry.domain.SchemaLogRecord;
import java.util.function.Consumer;

/** The durable log the registry's state is rebuilt from. */
public interface SchemaLog {

  /** Replays every record written so far, oldest first. */
  void replay(Consumer<SchemaLogRecord> apply);

  /** Appends a record and returns once it is durable. */
  void append(SchemaLogRecord record);
}
