package io.drover.cli.command;

import io.drover.api.v1.AppCertificate;
import io.drover.api.v1.ListCertificatesRequest;
import io.drover.cli.output.JsonOutput;
import io.drover.cli.output.Table;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code drover certs [APP]}: the certificates of the apps with {@code nginx.tls}: domains, issuer,
 * serial, validity, state ({@code pending}, {@code valid}, {@code renewing}, {@code failed}) and why
 * it is pending or failed.
 */
@Command(name = "certs", description = "Lists the certificates of the apps served over HTTPS.")
public final class CertsCommand implements Callable<Integer> {
  @Spec CommandSpec command;
  @Mixin ServerOptions server;
  @Mixin OutputOption output;

  @Parameters(paramLabel = "APP", arity = "0..1", description = "Only this app.")
  String app;

  @Override
  public Integer call() {
    PrintWriter out = command.commandLine().getOut();
    List<AppCertificate> certificates;
    try (OperatorConnection connection = server.connect()) {
      certificates = connection.unary().listCertificates(ListCertificatesRequest.newBuilder()
          .setApp(app == null ? "" : app).build()).getCertificatesList();
    }
    if (output.json()) {
      JsonOutput.printArray(out, certificates);
      return 0;
    }
    Table table = new Table("APP", "STATE", "DOMAINS", "ISSUER", "SERIAL", "NOT BEFORE", "NOT AFTER", "LAST ERROR");
    for (AppCertificate c : certificates) {
      table.row(c.getApp(), c.getState(), String.join(",", c.getDomainsList()), c.getIssuer(), c.getSerial(),
          c.hasNotBefore() ? instant(c.getNotBefore()) : "-", c.hasNotAfter() ? instant(c.getNotAfter()) : "-",
          c.getLastError().isEmpty() ? "-" : c.getLastError());
    }
    table.print(out);
    return 0;
  }

  private static String instant(com.google.protobuf.Timestamp t) {
    return Instant.ofEpochSecond(t.getSeconds()).toString();
  }
}
