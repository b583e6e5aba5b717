package io.guichet.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import one.profiler.AsyncProfiler;

/**
 * A CPU profile of one measured run with async-profiler (its library comes in its jar from Maven
 * Central): a flame graph ({@code NAME.html}), the stacks collapsed ({@code NAME.collapsed}, one
 * line per stack with its thread first, for grep) and the hottest methods ({@code NAME.txt}). CPU
 * samples from perf events where the kernel allows them, else from an interval timer. Nothing
 * happens without a directory.
 */
final class Profiling implements AutoCloseable {

  private final AsyncProfiler profiler;
  private boolean stopped;
  private final Path dir;
  private final String name;

  private Profiling(AsyncProfiler profiler, Path dir, String name) {
    this.profiler = profiler;
    this.dir = dir;
    this.name = name;
  }

  /**
   * A system property that replaces the profiler's start command: {@code
   * -Dbench.profile=start,event=wall,interval=5ms,threads} (in {@code MAVEN_OPTS}) shows where
   * threads wait, not only where they run.
   */
  static final String START_PROPERTY = "bench.profile";

  /** Starts profiling the whole JVM, or nothing when {@code dir} is null. */
  static Profiling start(Path dir, String name) throws IOException {
    if (dir == null) {
      return new Profiling(null, null, name);
    }
    Files.createDirectories(dir);
    AsyncProfiler profiler = AsyncProfiler.getInstance();
    try {
      profiler.execute(System.getProperty(START_PROPERTY, "start,event=cpu,interval=1ms,threads"));
    } catch (IllegalStateException e) {
      // perf_event_open refused (a container, perf_event_paranoid): the timer still samples.
      profiler.execute("start,event=itimer,interval=1ms,threads");
    }
    return new Profiling(profiler, dir, name);
  }

  /** Stops the profiler and writes its files; once (later calls do nothing). */
  @Override
  public void close() throws IOException {
    if (profiler == null || stopped) {
      return;
    }
    stopped = true;
    profiler.execute("stop");
    profiler.execute("flamegraph,file=" + dir.resolve(name + ".html"));
    profiler.execute("collapsed,file=" + dir.resolve(name + ".collapsed"));
    Files.writeString(dir.resolve(name + ".txt"), profiler.dumpFlat(60));
    System.out.println("  profile of " + name + " written to " + dir.resolve(name + ".html"));
  }
}
