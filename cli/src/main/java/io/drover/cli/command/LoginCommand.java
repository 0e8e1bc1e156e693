package io.drover.cli.command;

import io.drover.api.v1.WhoAmIRequest;
import io.drover.api.v1.WhoAmIResponse;
import io.drover.cli.config.CliConfig;
import io.drover.cli.config.Environment;
import io.drover.tls.Fingerprints;
import io.drover.tls.ServerTrust;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code drover login}: learns the server's CA, pins it (by the fingerprint given, or after a person
 * confirms it on a terminal) before any token is sent, checks the token, writes the CLI config.
 */
@Command(name = "login", description = "Pins a server's CA and stores an operator token in the CLI config.")
public final class LoginCommand implements Callable<Integer> {
  private final Environment environment;

  @Spec CommandSpec command;

  @Option(names = "--server", required = true, paramLabel = "HOST:PORT", converter = ServerOptions.AddressFlag.class,
      description = "The server's gRPC address, e.g. drover.example.com:7070.")
  ServerAddress server;

  @Option(names = "--token", required = true, paramLabel = "TOKEN", description = "An operator token.")
  String token;

  @Option(
      names = "--ca-fingerprint",
      paramLabel = "SHA256",
      description = "The expected SHA-256 fingerprint of the server's CA (the server logs it); without it, the "
          + "fingerprint is shown and confirmed on the terminal.")
  String caFingerprint;

  LoginCommand(Environment environment) {
    this.environment = environment;
  }

  @Override
  public Integer call() {
    PrintWriter out = command.commandLine().getOut();
    String expected = null;
    if (caFingerprint != null) {
      try {
        expected = Fingerprints.parse(caFingerprint);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(command.commandLine(), "--ca-fingerprint: " + e.getMessage(), e);
      }
    }
    String seen = presentedFingerprint();
    if (expected != null && !expected.equals(seen)) {
      throw new CommandFailure("the server at " + server + " has the CA fingerprint " + Fingerprints.display(seen)
          + ", not the expected " + Fingerprints.display(expected) + "; nothing was written");
    }
    if (expected == null && !confirmed(out, seen)) {
      throw new CommandFailure("the server's CA was not confirmed; nothing was written");
    }
    WhoAmIResponse me;
    try (OperatorConnection connection = OperatorConnection.open(server, ServerTrust.pinned(seen), token)) {
      me = connection.access().whoAmI(WhoAmIRequest.getDefaultInstance());
    }
    CliConfig config = CliConfig.of(environment);
    config.writeLogin(server.toString(), seen, token.strip());
    out.println("Logged in to " + server + " as " + (me.getName().isEmpty() ? "token " + me.getTokenId() : me.getName())
        + " (" + me.getRole() + "); CA " + Fingerprints.display(seen) + " pinned in " + config.file());
    return 0;
  }

  /** Shakes hands without a token and returns the fingerprint of the CA the server presented. */
  private String presentedFingerprint() {
    ServerTrust trust = ServerTrust.unpinned();
    try (OperatorConnection connection = OperatorConnection.open(server, trust, null)) {
      connection.access().whoAmI(WhoAmIRequest.getDefaultInstance());
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() != Status.Code.UNAUTHENTICATED) {
        throw e;
      }
    }
    X509Certificate ca = trust.presentedCa();
    if (ca == null) {
      throw new CommandFailure("the server at " + server + " presented no Drover CA");
    }
    return Fingerprints.sha256(ca);
  }

  private boolean confirmed(PrintWriter out, String fingerprint) {
    if (System.console() == null) {
      throw new CommandFailure("the server's CA fingerprint is " + Fingerprints.display(fingerprint)
          + "; pass it with --ca-fingerprint to trust it (no terminal to confirm it on)");
    }
    out.println("The server at " + server + " presents the CA with SHA-256 fingerprint");
    out.println("  " + Fingerprints.display(fingerprint));
    out.print("Compare it with the one the server logged. Trust it? [y/N] ");
    out.flush();
    try {
      String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      return answer != null && answer.strip().toLowerCase(Locale.ROOT).startsWith("y");
    } catch (IOException e) {
      return false;
    }
  }
}
