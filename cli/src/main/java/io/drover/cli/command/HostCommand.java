package io.drover.cli.command;

import io.drover.api.v1.ApproveHostRequest;
import io.drover.api.v1.ApproveHostResponse;
import io.drover.api.v1.RemoveHostRequest;
import io.drover.api.v1.RemoveHostResponse;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code drover host}: a host's credentials (admin only). */
@Command(
    name = "host",
    description = "Approves a host's second enrollment or removes a host.",
    subcommands = {HostCommand.Approve.class, HostCommand.Remove.class})
public final class HostCommand implements Runnable {
  @Spec CommandSpec command;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(command.commandLine(), "name a subcommand: approve or remove");
  }

  /** {@code drover host approve NAME}. */
  @Command(name = "approve", description = "Lets the waiting enrollment of an already enrolled host name through; "
      + "the host's older certificates are revoked when the new agent picks up its certificate.")
  public static final class Approve implements Callable<Integer> {
    @Spec CommandSpec command;
    @Mixin ServerOptions server;

    @Parameters(paramLabel = "NAME", description = "The host's name.")
    String host;

    @Override
    public Integer call() {
      try (OperatorConnection connection = server.connect()) {
        ApproveHostResponse r = connection.access().approveHost(ApproveHostRequest.newBuilder().setHost(host).build());
        command.commandLine().getOut().println(r.getHost() + ": enrollment approved (key sha256 " + r.getKeySha256() + ")");
      }
      return 0;
    }
  }

  /** {@code drover host remove NAME}. */
  @Command(name = "remove", description = "Revokes the host's certificates (its agent is cut off within seconds), "
      + "forgets the host and places its apps elsewhere.")
  public static final class Remove implements Callable<Integer> {
    @Spec CommandSpec command;
    @Mixin ServerOptions server;

    @Parameters(paramLabel = "NAME", description = "The host's name.")
    String host;

    @Override
    public Integer call() {
      try (OperatorConnection connection = server.connect()) {
        RemoveHostResponse r = connection.access().removeHost(RemoveHostRequest.newBuilder().setHost(host).build());
        command.commandLine().getOut().println(r.getHost() + ": removed (" + r.getCertificatesRevoked()
            + " certificate(s) revoked)");
      }
      return 0;
    }
  }
}
