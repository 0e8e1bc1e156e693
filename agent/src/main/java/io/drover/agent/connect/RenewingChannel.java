package io.drover.agent.connect;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The agent's channel to the server, presenting its current certificate: after a renewal, new calls
 * go on a channel with the new certificate, and the old channel closes once its calls have ended.
 */
public final class RenewingChannel extends Channel implements AutoCloseable {
  private final Function<AgentIdentity, ManagedChannel> open;
  private volatile ManagedChannel current;
  private volatile AgentIdentity identity;

  public RenewingChannel(AgentIdentity identity, Function<AgentIdentity, ManagedChannel> open) {
    this.open = open;
    this.identity = identity;
    this.current = open.apply(identity);
  }

  public AgentIdentity identity() {
    return identity;
  }

  /** Switches to {@code renewed}; the previous channel closes when its calls end. */
  public synchronized void switchTo(AgentIdentity renewed) {
    ManagedChannel old = current;
    current = open.apply(renewed);
    identity = renewed;
    old.shutdown();
  }

  @Override
  public <Q, R> ClientCall<Q, R> newCall(MethodDescriptor<Q, R> method, CallOptions options) {
    return current.newCall(method, options);
  }

  @Override
  public String authority() {
    return current.authority();
  }

  @Override
  public void close() {
    ManagedChannel c = current;
    c.shutdownNow();
    try {
      c.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
