package io.guichet.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class JvmSharedTest {

  private final AtomicInteger opened = new AtomicInteger();
  private final List<String> closed = new ArrayList<>();
  private final JvmShared<String, String> shared =
      new JvmShared<>(key -> key + "#" + opened.incrementAndGet(), closed::add);

  @Test
  void uses_of_one_key_share_one_thing_until_the_last_use_ends() {
    JvmShared.Use<String> first = shared.use("broker");
    JvmShared.Use<String> second = shared.use("broker");

    assertThat(second.get()).isSameAs(first.get()).isEqualTo("broker#1");
    first.close();
    assertThat(closed).isEmpty();
    second.close();
    assertThat(closed).containsExactly("broker#1");
  }

  @Test
  void closing_a_use_twice_counts_once() {
    JvmShared.Use<String> first = shared.use("broker");
    JvmShared.Use<String> second = shared.use("broker");

    first.close();
    first.close();

    assertThat(closed).isEmpty();
    second.close();
    assertThat(closed).containsExactly("broker#1");
  }

  @Test
  void other_keys_have_their_own_and_a_use_after_the_end_opens_anew() {
    JvmShared.Use<String> a = shared.use("a");
    JvmShared.Use<String> b = shared.use("b");
    assertThat(a.get()).isEqualTo("a#1");
    assertThat(b.get()).isEqualTo("b#2");

    a.close();
    JvmShared.Use<String> again = shared.use("a");

    assertThat(closed).containsExactly("a#1");
    assertThat(again.get()).isEqualTo("a#3");
  }
}
