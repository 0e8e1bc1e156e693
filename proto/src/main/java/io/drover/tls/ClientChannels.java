package io.drover.tls;

import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLException;

/** TLS channels to a Drover server. */
public final class ClientChannels {
  private ClientChannels() {}

  /**
   * A channel builder for {@code target} (host:port) that trusts the server as {@code trust} says and,
   * when {@code key} is given, presents {@code certificate} as the client's identity.
   */
  public static NettyChannelBuilder tls(String target, ServerTrust trust, PrivateKey key, X509Certificate certificate) {
    SslContextBuilder ssl = GrpcSslContexts.forClient().trustManager(trust).protocols("TLSv1.3");
    if (key != null) {
      ssl.keyManager(key, certificate);
    }
    SslContext context;
    try {
      context = ssl.build();
    } catch (SSLException e) {
      throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
    }
    return NettyChannelBuilder.forTarget(target).sslContext(context);
  }
}
