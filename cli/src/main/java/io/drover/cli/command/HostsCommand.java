package io.drover.cli.command;

import io.drover.api.v1.Host;
import io.drover.api.v1.ListHostsRequest;
import io.drover.cli.output.Ages;
import io.drover.cli.output.JsonOutput;
import io.drover.cli.output.Table;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code drover hosts}: lists the hosts whose agents have connected. */
@Command(name = "hosts", description = "Lists the hosts.")
public final class HostsCommand implements Callable<Integer> {
  @Spec CommandSpec command;
  @Mixin ServerOptions server;
  @Mixin OutputOption output;

  @Override
  public Integer call() {
    PrintWriter out = command.commandLine().getOut();
    List<Host> hosts;
    try (OperatorConnection connection = server.connect()) {
      hosts = connection.unary().listHosts(ListHostsRequest.getDefaultInstance()).getHostsList();
    }
    if (output.json()) {
      JsonOutput.printArray(out, hosts);
      return 0;
    }
    Table table = new Table("NAME", "STATE", "LABELS", "APPS", "AGENT", "LAST SEEN");
    Clock clock = Clock.systemUTC();
    for (Host host : hosts) {
      table.row(host.getName(), host.getState() + (host.getDrained() ? ",drained" : ""), labels(host.getLabelsMap()), host.getInstances(), host.getFacts().getAgentVersion(), Ages.ago(host.getLastSeen(), clock));
    }
    table.print(out);
    return 0;
  }

  private static String labels(Map<String, String> labels) {
    return new TreeMap<>(labels).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
  }
}
