package io.drover.agent.connect;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The agent's channels to the servers it was given, one per address, and the one it uses now. As a
 * {@link Channel} it sends every new call to the current server, so the stream and bundle downloads
 * follow {@link #failOver()}, which moves on to the next address (after the last, the first again).
 * Each agent starts at the address {@link #startFor} picks for its host, so a fleet given the same
 * list spreads over the servers instead of all dialing the first.
 */
public final class ServerChannels extends Channel {
  private final List<String> addresses;
  private volatile List<ManagedChannel> channels;
  private volatile int current;

  /**
   * Where in a list of {@code servers} addresses the agent of {@code host} starts: a hash of the host
   * name, so a fleet given the same list spreads evenly over it, and each agent returns to the same
   * server when it restarts.
   */
  public static int startFor(String host, int servers) {
    return Math.floorMod(host.hashCode() * 0x9E3779B9, servers);
  }

  /** Starts at {@code addresses[start]}; {@code open} opens the channel to one host:port address. */
  public ServerChannels(List<String> addresses, Function<String, ManagedChannel> open, int start) {
    if (addresses.isEmpty()) {
      throw new IllegalArgumentException("no server address");
    }
    if (start < 0 || start >= addresses.size()) {
      throw new IllegalArgumentException("start " + start + " is not an index of " + addresses);
    }
    this.addresses = List.copyOf(addresses);
    this.channels = this.addresses.stream().map(open).toList();
    this.current = start;
  }

  /** The address of the server in use. */
  public String address() {
    return addresses.get(current);
  }

  /** Moves on to the next server and returns its address; with one server, stays on it. */
  public synchronized String failOver() {
    current = (current + 1) % addresses.size();
    return address();
  }

  @Override
  public <Q, R> ClientCall<Q, R> newCall(MethodDescriptor<Q, R> method, CallOptions options) {
    return channels.get(current).newCall(method, options);
  }

  @Override
  public String authority() {
    return channels.get(current).authority();
  }

  /**
   * Opens a new channel per address (e.g. presenting a renewed certificate) for the calls to come;
   * the previous channels close once their calls have ended.
   */
  public synchronized void reopen(Function<String, ManagedChannel> open) {
    List<ManagedChannel> old = channels;
    channels = addresses.stream().map(open).toList();
    old.forEach(ManagedChannel::shutdown);
  }

  /** Shuts every channel down, waiting up to {@code timeoutMillis} in all. */
  public void close(long timeoutMillis) throws InterruptedException {
    channels.forEach(ManagedChannel::shutdownNow);
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    for (ManagedChannel c : channels) {
      c.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }
  }
}
