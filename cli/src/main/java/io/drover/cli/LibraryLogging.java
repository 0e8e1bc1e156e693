package io.drover.cli;

import java.util.logging.Level;
import java.util.logging.LogManager;

/**
 * Keeps the libraries' own logging off stderr for the short commands, so that a failure is the one
 * line {@code drover} prints: gRPC logs through java.util.logging (e.g. a name it could not resolve,
 * with a stack trace), Netty through slf4j. {@code drover server}, {@code agent} and {@code dev} keep
 * them; {@code DROVER_DEBUG} does too.
 */
final class LibraryLogging {
  private LibraryLogging() {}

  static void silence() {
    LogManager.getLogManager().getLogger("").setLevel(Level.OFF);
    // read by slf4j-simple when each logger is made, and Netty makes its loggers on first use
    System.setProperty("org.slf4j.simpleLogger.log.io.netty", "off");
    System.setProperty("org.slf4j.simpleLogger.log.io.grpc", "off");
  }
}
