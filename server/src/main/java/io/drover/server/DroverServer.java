package io.drover.server;

/** A running Drover server: gRPC port, HTTP port, database pool and background loops. */
public final class DroverServer implements AutoCloseable {

  private DroverServer() {}

  /** Migrates the database, opens both ports and returns once they accept connections. */
  public static DroverServer start(ServerConfig config) {
    throw new UnsupportedOperationException("not built yet");
  }

  /** The bound gRPC port (useful when the config asked for port 0). */
  public int grpcPort() {
    throw new UnsupportedOperationException("not built yet");
  }

  /** The bound HTTP port. */
  public int httpPort() {
    throw new UnsupportedOperationException("not built yet");
  }

  /** Blocks until the server has stopped. */
  public void awaitTermination() throws InterruptedException {
    throw new UnsupportedOperationException("not built yet");
  }

  /** Stops accepting calls, ends agent streams, closes the pool. */
  @Override
  public void close() {}
}
