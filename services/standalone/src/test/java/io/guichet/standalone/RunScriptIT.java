package io.guichet.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command's second half, {@code services/standalone/run.sh}, run for real on
 * what the build laid out (build-layout.sh): it starts the standalone and, with {@code -Xshare:on},
 * the JVM refuses to start at all unless it maps the class-data archive, so a stale or unusable
 * archive fails here instead of quietly starting slower.
 */
class RunScriptIT {

  @TempDir Path dir;

  @Test
  void run_sh_starts_the_standalone_from_its_class_data_archive() throws Exception {
    Path script = Path.of("run.sh").toAbsolutePath();
    ProcessBuilder run =
        new ProcessBuilder(
                "bash",
                script.toString(),
                "--data-dir=" + dir.resolve("data"),
                "--kafka-port=0",
                "--postgres-port=0",
                "--registry-port=0",
                "--first-service-port=0",
                "--gateway-port=0",
                "--exit-when-started")
            .redirectErrorStream(true);
    run.redirectOutput(dir.resolve("run.log").toFile());
    // The java the build made the archive with, as on a machine with one JDK.
    run.environment()
        .put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":" + System.getenv("PATH"));
    run.environment().put("JAVA_OPTS", "-Xshare:on -Xmx1g");
    Process process = run.start();

    assertThat(process.waitFor(3, TimeUnit.MINUTES)).as("run.sh finished").isTrue();
    String log = Files.readString(dir.resolve("run.log"));
    assertThat(process.exitValue()).as(log).isZero();
    assertThat(log)
        .contains("Guichet standalone is running")
        .contains("gateway")
        .doesNotContain("Unable to use shared archive");
  }
}
