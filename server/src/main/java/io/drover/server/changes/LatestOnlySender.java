package io.drover.server.changes;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;

/**
 * The outbound side of one server stream with bounded memory: at most one message waits to be sent,
 * a newer offer replaces it (latest wins), and it goes out when the transport is ready. An offer equal
 * to the previous one is dropped, so a client only hears about real changes.
 *
 * <p>Wire {@link #drain} as the stream's on-ready handler. Thread-safe.
 */
public final class LatestOnlySender<T> {
  private final ServerCallStreamObserver<T> out;
  private T pending;
  private T lastOffered;
  private boolean closed;

  public LatestOnlySender(ServerCallStreamObserver<T> out) {
    this.out = out;
  }

  /** Queues {@code message} unless it equals the last one offered; replaces any message not yet sent. */
  public synchronized void offer(T message) {
    if (closed || message.equals(lastOffered)) {
      return;
    }
    lastOffered = message;
    pending = message;
    drain();
  }

  /** Sends {@code message} now, outside the coalescing (for the one greeting at stream start). */
  public synchronized void sendNow(T message) {
    if (!closed) {
      out.onNext(message);
    }
  }

  /** Sends the waiting message if the transport is ready. */
  public synchronized void drain() {
    if (!closed && pending != null && out.isReady()) {
      T message = pending;
      pending = null;
      out.onNext(message);
    }
  }

  /** Ends the stream with {@code status} (OK completes it); later offers are dropped. */
  public synchronized void close(Status status) {
    if (closed) {
      return;
    }
    closed = true;
    pending = null;
    if (status.isOk()) {
      out.onCompleted();
    } else {
      out.onError(status.asRuntimeException());
    }
  }

  /** Notes that the client ended the stream; nothing more is sent. */
  public synchronized void abandon() {
    closed = true;
    pending = null;
  }

  public synchronized boolean isClosed() {
    return closed;
  }
}
