package io.drover.agent.connect;

import io.drover.api.v1.Metrics;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Where the metrics the stream carries come from: started when the server welcomes the agent, with
 * the interval it asks for, and stopped when the stream ends. Both calls return at once (the
 * connection makes them under its lock); sampling happens elsewhere.
 */
public interface MetricsFeed {
  /** Starts handing a sample to {@code send} about every {@code every}, replacing an earlier start. */
  void start(Duration every, Consumer<Metrics> send);

  /** Stops; a sample under way is not sent. */
  void stop();
}
