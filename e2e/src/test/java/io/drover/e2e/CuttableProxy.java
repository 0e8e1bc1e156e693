package io.drover.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * A TCP proxy on a loopback port forwarding to one target, which a test can cut off like a broken
 * network: while {@link #cut()} it keeps every connection open and accepts new ones, but drops every
 * byte in both directions (a blackhole: no reset, no FIN, so only keepalive or a heartbeat TTL can
 * tell the link is gone). {@link #heal()} closes the connections that lost bytes (their streams have
 * gaps no real TCP connection would have) and forwards new connections again.
 */
final class CuttableProxy implements AutoCloseable {
  private final InetSocketAddress target;
  private final ServerSocket listener;
  private final List<Socket> sockets = new ArrayList<>();
  private volatile boolean cut;
  private volatile boolean closed;

  private CuttableProxy(InetSocketAddress target, ServerSocket listener) {
    this.target = target;
    this.listener = listener;
    Thread.ofPlatform().name("proxy-accept").daemon().start(this::accept);
  }

  /** A proxy on a free loopback port to {@code targetPort} on 127.0.0.1. */
  static CuttableProxy to(int targetPort) {
    try {
      return new CuttableProxy(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort),
          new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the proxy's port", e);
    }
  }

  /** host:port to connect to instead of the target. */
  String address() {
    return "127.0.0.1:" + listener.getLocalPort();
  }

  /** From now on, every byte either way is dropped. */
  synchronized void cut() {
    cut = true;
  }

  /** Closes the connections that lost bytes and forwards new ones again. */
  synchronized void heal() {
    cut = false;
    closeSockets();
  }

  private void accept() {
    while (!closed) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        return; // closed
      }
      Socket upstream = new Socket();
      try {
        upstream.connect(target, 2000);
      } catch (IOException e) {
        quietly(client);
        continue;
      }
      synchronized (this) {
        sockets.add(client);
        sockets.add(upstream);
      }
      Thread.ofPlatform().name("proxy-up").daemon().start(() -> pump(client, upstream));
      Thread.ofPlatform().name("proxy-down").daemon().start(() -> pump(upstream, client));
    }
  }

  private void pump(Socket from, Socket to) {
    byte[] buf = new byte[16 * 1024];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      int n;
      while ((n = in.read(buf)) >= 0) {
        if (!cut) {
          out.write(buf, 0, n);
          out.flush();
        }
      }
    } catch (IOException e) {
      // this side closed or broke
    }
    // the other side learns of it only while the link is up; a cut link passes on no FIN either
    if (!cut) {
      quietly(from);
      quietly(to);
    }
  }

  private synchronized void closeSockets() {
    sockets.forEach(CuttableProxy::quietly);
    sockets.clear();
  }

  private static void quietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // closing anyway
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      listener.close();
    } catch (IOException e) {
      // closing anyway
    }
    closeSockets();
  }
}
