package io.guichet.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class StandaloneSettingsTest {

  @Test
  void reads_settings_from_options_then_environment_then_defaults() {
    StandaloneSettings settings =
        StandaloneSettings.from(
            new String[] {"--kafka-port=19092"},
            Map.of("GUICHET_REGISTRY_PORT", "18081", "GUICHET_KAFKA_PORT", "1"));

    assertThat(settings.kafkaPort()).isEqualTo(19092);
    assertThat(settings.registryPort()).isEqualTo(18081);
    assertThat(settings.postgresPort()).isEqualTo(15432);
    assertThat(settings.dataDir().isAbsolute()).isTrue();
    assertThat(settings.dataDir().getFileName().toString()).isEqualTo("data");
    assertThat(settings.servicePort(2)).isEqualTo(8084);
    assertThat(settings.gatewayPort()).isEqualTo(8080);
    assertThat(
            StandaloneSettings.from(new String[] {"--gateway-port=9000"}, Map.of()).gatewayPort())
        .isEqualTo(9000);
  }

  @Test
  void any_free_port_stays_any_free_port_for_every_service() {
    StandaloneSettings settings =
        StandaloneSettings.from(new String[] {"--first-service-port=0"}, Map.of());

    assertThat(settings.servicePort(0)).isZero();
    assertThat(settings.servicePort(3)).isZero();
  }

  @Test
  void the_broker_flushes_every_write_only_when_asked() {
    assertThat(StandaloneSettings.from(new String[] {}, Map.of()).kafkaFlushEveryWrite()).isFalse();
    assertThat(
            StandaloneSettings.from(new String[] {"--kafka-flush-every-write=true"}, Map.of())
                .kafkaFlushEveryWrite())
        .isTrue();
    assertThat(
            StandaloneSettings.from(
                    new String[] {}, Map.of("GUICHET_KAFKA_FLUSH_EVERY_WRITE", "TRUE"))
                .kafkaFlushEveryWrite())
        .isTrue();
    assertThatThrownBy(
            () -> StandaloneSettings.from(new String[] {"--kafka-flush-every-write=yes"}, Map.of()))
        .hasMessageContaining("not true or false");
  }

  @Test
  void refuses_a_port_that_is_not_one() {
    assertThatThrownBy(() -> StandaloneSettings.from(new String[] {"--kafka-port=99999"}, Map.of()))
        .hasMessageContaining("99999");
    assertThatThrownBy(
            () -> StandaloneSettings.from(new String[] {}, Map.of("GUICHET_POSTGRES_PORT", "x")))
        .hasMessageContaining("not a port");
  }
}
