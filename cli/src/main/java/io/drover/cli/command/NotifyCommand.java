package io.drover.cli.command;

import com.google.protobuf.Timestamp;
import io.drover.api.v1.AddNotifyTargetRequest;
import io.drover.api.v1.ListNotifyDeliveriesRequest;
import io.drover.api.v1.ListNotifyTargetsRequest;
import io.drover.api.v1.NotifyDelivery;
import io.drover.api.v1.NotifyTarget;
import io.drover.api.v1.RemoveNotifyTargetRequest;
import io.drover.cli.output.JsonOutput;
import io.drover.cli.output.Table;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code drover notify}: webhooks told of rollouts failing, hosts going down or up, crash loops. */
@Command(
    name = "notify",
    description = "Adds, lists and removes webhooks told of events; shows their deliveries.",
    subcommands = {NotifyCommand.Add.class, NotifyCommand.ListTargets.class, NotifyCommand.Remove.class,
        NotifyCommand.Log.class})
public final class NotifyCommand implements Runnable {
  @Spec CommandSpec command;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(command.commandLine(), "name a subcommand: add, list, remove or log");
  }

  /** {@code drover notify add --webhook URL [--events …]}. */
  @Command(name = "add", description = "Adds a webhook: each event is POSTed to it as JSON with a `text` field "
      + "chat webhooks show (admin only). Events: rollout-failed, rollout-reverted, host-down, host-up, crash-loop.")
  public static final class Add implements Callable<Integer> {
    @Spec CommandSpec command;
    @Mixin ServerOptions server;
    @Mixin OutputOption output;

    @Option(names = "--webhook", required = true, paramLabel = "URL",
        description = "The http(s) URL to POST to; stored sealed, shown masked (it may carry a secret).")
    String webhook;

    @Option(names = "--events", split = ",", paramLabel = "EVENT",
        description = "Only these events (default: all).")
    List<String> events = new ArrayList<>();

    @Override
    public Integer call() {
      NotifyTarget target;
      try (OperatorConnection connection = server.connect()) {
        target = connection.unary().addNotifyTarget(
            AddNotifyTargetRequest.newBuilder().setWebhook(webhook).addAllEvents(events).build());
      }
      PrintWriter out = command.commandLine().getOut();
      if (output.json()) {
        JsonOutput.print(out, target);
        return 0;
      }
      out.println("webhook " + target.getWebhookId() + ": " + target.getWebhook() + " gets "
          + String.join(", ", target.getEventsList()));
      return 0;
    }
  }

  /** {@code drover notify list}. */
  @Command(name = "list", description = "Lists the webhooks (URLs masked).")
  public static final class ListTargets implements Callable<Integer> {
    @Spec CommandSpec command;
    @Mixin ServerOptions server;
    @Mixin OutputOption output;

    @Override
    public Integer call() {
      List<NotifyTarget> targets;
      try (OperatorConnection connection = server.connect()) {
        targets = connection.unary().listNotifyTargets(ListNotifyTargetsRequest.getDefaultInstance()).getTargetsList();
      }
      PrintWriter out = command.commandLine().getOut();
      if (output.json()) {
        JsonOutput.printArray(out, targets);
        return 0;
      }
      Table table = new Table("ID", "WEBHOOK", "EVENTS", "ADDED BY");
      targets.forEach(t -> table.row(t.getWebhookId(), t.getWebhook(), String.join(",", t.getEventsList()),
          t.getCreatedBy()));
      table.print(out);
      return 0;
    }
  }

  /** {@code drover notify remove ID}. */
  @Command(name = "remove", description = "Removes a webhook and its pending deliveries (admin only).")
  public static final class Remove implements Callable<Integer> {
    @Spec CommandSpec command;
    @Mixin ServerOptions server;

    @Parameters(paramLabel = "ID", description = "The webhook's id (drover notify list).")
    long id;

    @Override
    public Integer call() {
      try (OperatorConnection connection = server.connect()) {
        connection.unary().removeNotifyTarget(RemoveNotifyTargetRequest.newBuilder().setWebhookId(id).build());
      }
      command.commandLine().getOut().println("webhook " + id + ": removed");
      return 0;
    }
  }

  /** {@code drover notify log}. */
  @Command(name = "log", description = "Shows the latest deliveries: event, webhook, state, attempts, last error.")
  public static final class Log implements Callable<Integer> {
    @Spec CommandSpec command;
    @Mixin ServerOptions server;
    @Mixin OutputOption output;

    @Option(names = "--limit", paramLabel = "N", description = "At most N, newest first (default: ${DEFAULT-VALUE}).",
        defaultValue = "50")
    int limit;

    @Override
    public Integer call() {
      if (limit < 1) {
        throw CommandFailure.usage("--limit must be at least 1");
      }
      List<NotifyDelivery> deliveries;
      try (OperatorConnection connection = server.connect()) {
        deliveries = connection.unary().listNotifyDeliveries(
            ListNotifyDeliveriesRequest.newBuilder().setLimit(limit).build()).getDeliveriesList();
      }
      PrintWriter out = command.commandLine().getOut();
      if (output.json()) {
        JsonOutput.printArray(out, deliveries);
        return 0;
      }
      Table table = new Table("AT", "EVENT", "TEXT", "WEBHOOK", "STATE", "ATTEMPTS", "LAST ERROR");
      deliveries.forEach(d -> table.row(instant(d.getAt()), d.getEvent(), d.getText(), d.getWebhookId(),
          d.getState(), d.getAttempts(), d.getLastError()));
      table.print(out);
      return 0;
    }
  }

  private static Instant instant(Timestamp t) {
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }
}
