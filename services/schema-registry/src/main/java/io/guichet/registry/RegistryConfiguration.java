package io.guichet.registry;

import io.guichet.registry.adapter.out.kafka.KafkaSchemaLog;
import io.guichet.registry.application.SchemaRegistryService;
import io.guichet.registry.domain.SchemaRegistryState;
import io.guichet.schemas.compatibility.CompatibilityLevel;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the registry: state rebuilt from the Kafka schema log before the first request. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RegistryProperties.class)
class RegistryConfiguration {

  @Bean(destroyMethod = "close")
  KafkaSchemaLog schemaLog(RegistryProperties properties) {
    if (properties.bootstrapServers() == null || properties.bootstrapServers().isBlank()) {
      throw new IllegalStateException("guichet.registry.bootstrap-servers must be set");
    }
    return new KafkaSchemaLog(
        properties.bootstrapServers(),
        properties.topic(),
        properties.replicationFactor(),
        properties.timeout());
  }

  @Bean(destroyMethod = "close")
  SchemaRegistryService schemaRegistryService(RegistryProperties properties, KafkaSchemaLog log) {
    CompatibilityLevel level =
        CompatibilityLevel.parse(properties.defaultCompatibility())
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "unknown guichet.registry.default-compatibility "
                            + properties.defaultCompatibility()));
    SchemaRegistryService service = new SchemaRegistryService(new SchemaRegistryState(level), log);
    service.recover();
    return service;
  }
}
