package io.guichet.query;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The query service's settings ({@code guichet.query.*}).
 *
 * @param consumerGroup the group (and stored positions) of the live projection
 * @param rebuildLimit how long a rebuild may take before it is given up
 */
@ConfigurationProperties("guichet.query")
public record QueryProperties(
    String bootstrapServers,
    String schemaRegistryUrl,
    String consumerGroup,
    Duration rebuildLimit) {

  public QueryProperties {
    if (rebuildLimit == null) {
      rebuildLimit = Duration.ofHours(1);
    }
  }
}
