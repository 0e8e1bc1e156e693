package io.drover.agent;

/** A running agent: its stream to the server, its reconciler and its probes. */
public final class Agent implements AutoCloseable {

  private Agent() {}

  /** Prepares the host side (sandbox daemons, local state) and starts connecting to the server. */
  public static Agent start(AgentConfig config) {
    throw new UnsupportedOperationException("not built yet");
  }

  /** Blocks until the agent has stopped. */
  public void awaitTermination() throws InterruptedException {
    throw new UnsupportedOperationException("not built yet");
  }

  /** Closes the stream and stops the agent; the apps, nginx and supervisord keep running. */
  @Override
  public void close() {}
}
