package io.drover.cli.command;

import com.google.protobuf.Timestamp;
import io.drover.api.v1.CreateTokenRequest;
import io.drover.api.v1.CreateTokenResponse;
import io.drover.api.v1.ListTokensRequest;
import io.drover.api.v1.RevokeTokenRequest;
import io.drover.api.v1.Token;
import io.drover.cli.output.JsonOutput;
import io.drover.cli.output.Table;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code drover token}: operator and enrollment tokens (admin only). */
@Command(
    name = "token",
    description = "Creates, lists and revokes tokens.",
    subcommands = {TokenCommand.Create.class, TokenCommand.ListTokens.class, TokenCommand.Revoke.class})
public final class TokenCommand implements Runnable {
  @Spec CommandSpec command;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(command.commandLine(), "name a subcommand: create, list or revoke");
  }

  /** {@code drover token create}. */
  @Command(name = "create", description = "Creates an operator token (--role) or an agent enrollment token (--enroll); "
      + "prints its secret once.")
  public static final class Create implements Callable<Integer> {
    @Spec CommandSpec command;
    @Mixin ServerOptions server;
    @Mixin OutputOption output;

    @Option(names = "--enroll", description = "An enrollment token for agents (default: an operator token).")
    boolean enroll;

    @Option(names = "--role", paramLabel = "ROLE", description = "admin, deployer or viewer (operator tokens).")
    String role;

    @Option(names = "--name", paramLabel = "NAME", description = "What the token is for, shown in lists and the audit log.")
    String name = "";

    @Option(names = "--ttl", converter = DurationConverter.class, paramLabel = "DURATION",
        description = "How long the token lasts (enrollment tokens: default 1h; operator tokens: no expiry).")
    Duration ttl;

    @Option(names = "--uses", paramLabel = "N", description = "How many agents may enroll with it (default 1).")
    int uses;

    @Option(names = "--labels", split = ",", paramLabel = "KEY=VALUE",
        description = "Labels every host enrolled with the token gets, e.g. role=web.")
    Map<String, String> labels = new LinkedHashMap<>();

    @Override
    public Integer call() {
      if (!enroll && (role == null || role.isBlank())) {
        throw new ParameterException(command.commandLine(), "--role is required for an operator token (admin, "
            + "deployer or viewer); or pass --enroll for an agent enrollment token");
      }
      CreateTokenRequest.Builder request = CreateTokenRequest.newBuilder().setEnroll(enroll).setName(name)
          .setUses(uses).putAllLabels(labels);
      if (role != null) {
        request.setRole(role);
      }
      if (ttl != null) {
        request.setTtlSeconds(ttl.toSeconds());
      }
      CreateTokenResponse created;
      try (OperatorConnection connection = server.connect()) {
        created = connection.access().createToken(request.build());
      }
      PrintWriter out = command.commandLine().getOut();
      if (output.json()) {
        JsonOutput.print(out, created);
        return 0;
      }
      out.println(created.getSecret());
      command.commandLine().getErr().println("token " + created.getToken().getId() + " ("
          + describe(created.getToken()) + "); the secret above is shown only once");
      return 0;
    }
  }

  /** {@code drover token list}. */
  @Command(name = "list", description = "Lists tokens (never their secrets).")
  public static final class ListTokens implements Callable<Integer> {
    @Spec CommandSpec command;
    @Mixin ServerOptions server;
    @Mixin OutputOption output;

    @Override
    public Integer call() {
      List<Token> tokens;
      try (OperatorConnection connection = server.connect()) {
        tokens = connection.access().listTokens(ListTokensRequest.getDefaultInstance()).getTokensList();
      }
      PrintWriter out = command.commandLine().getOut();
      if (output.json()) {
        JsonOutput.printArray(out, tokens);
        return 0;
      }
      Table table = new Table("ID", "KIND", "NAME", "STATE", "EXPIRES", "CREATED BY");
      for (Token t : tokens) {
        table.row(t.getId(), describe(t), t.getName(), state(t),
            t.hasExpiresAt() ? instant(t.getExpiresAt()).toString() : "never", t.getCreatedBy());
      }
      table.print(out);
      return 0;
    }
  }

  /** {@code drover token revoke ID}. */
  @Command(name = "revoke", description = "Revokes a token: refused from the next call on.")
  public static final class Revoke implements Callable<Integer> {
    @Spec CommandSpec command;
    @Mixin ServerOptions server;

    @Parameters(paramLabel = "ID", description = "The token's id (drover token list).")
    String id;

    @Override
    public Integer call() {
      try (OperatorConnection connection = server.connect()) {
        Token t = connection.access().revokeToken(RevokeTokenRequest.newBuilder().setId(id).build());
        command.commandLine().getOut().println("token " + t.getId() + ": revoked");
      }
      return 0;
    }
  }

  static String describe(Token t) {
    if (t.getKind().equals("enroll")) {
      String labels = new TreeMap<>(t.getLabelsMap()).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
          .collect(Collectors.joining(","));
      return "enroll, " + t.getUsesLeft() + " uses left" + (labels.isEmpty() ? "" : ", labels " + labels);
    }
    return t.getRole();
  }

  private static String state(Token t) {
    if (t.hasRevokedAt()) {
      return "revoked";
    }
    if (t.hasExpiresAt() && instant(t.getExpiresAt()).isBefore(Instant.now())) {
      return "expired";
    }
    return t.getKind().equals("enroll") && t.getUsesLeft() == 0 ? "used" : "active";
  }

  private static Instant instant(Timestamp t) {
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }
}
