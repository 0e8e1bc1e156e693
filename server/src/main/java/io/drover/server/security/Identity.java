package io.drover.server.security;

import io.grpc.Context;
import java.net.SocketAddress;
import java.util.Map;

/** Who is calling: established by {@link Authenticator} for each call, never taken from a request field. */
public sealed interface Identity {
  Context.Key<Identity> KEY = Context.key("drover-identity");
  /** The caller's address, for rate limits and the audit log. */
  Context.Key<SocketAddress> PEER = Context.key("drover-peer");

  /** The caller of the current call; anonymous outside one. */
  static Identity current() {
    Identity identity = KEY.get();
    return identity == null ? new Anonymous() : identity;
  }

  /** How the audit log names the caller. */
  String actor();

  /**
   * How a revision's {@code created_by} (the BY column of {@code drover history}) names the caller:
   * short enough for a table column, and enough to find the rest in {@code drover token list} and
   * the audit log: {@code token:<id>} for an operator, {@code agent:<host>}, {@code anonymous}.
   */
  default String author() {
    return actor();
  }

  /** No credential. */
  record Anonymous() implements Identity {
    @Override
    public String actor() {
      return "anonymous";
    }
  }

  /** An operator token. */
  record Operator(String tokenId, String name, Role role) implements Identity {
    @Override
    public String actor() {
      return author() + " (" + (name.isEmpty() ? "" : name + ", ") + role.wireName() + ")";
    }

    @Override
    public String author() {
      return "token:" + tokenId;
    }
  }

  /** An enrolled agent, by its client certificate; {@code labels} were fixed at enrollment. */
  record Agent(String host, String serial, Map<String, String> labels) implements Identity {
    @Override
    public String actor() {
      return "agent:" + host;
    }
  }
}
