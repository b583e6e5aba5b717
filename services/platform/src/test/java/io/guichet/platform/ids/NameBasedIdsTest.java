package io.guichet.platform.ids;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

class NameBasedIdsTest {

  @Test
  void the_same_ids_as_the_jdks_name_based_uuids() {
    for (String name : new String[] {"", "r-1|held|", "évènement|rejected|SOLD_OUT", "😀"}) {
      assertThat(NameBasedIds.of(name))
          .isEqualTo(UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)));
    }
    for (int i = 0; i < 10_000; i++) {
      String name = Long.toString(ThreadLocalRandom.current().nextLong(), 36) + "|" + i;
      assertThat(NameBasedIds.of(name))
          .isEqualTo(UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)));
    }
  }
}
