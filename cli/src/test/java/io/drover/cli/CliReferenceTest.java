package io.drover.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class CliReferenceTest {
  @Test
  void docsCliMdMatchesTheCommands() throws Exception {
    String rendered = CliReference.render();
    if (Boolean.getBoolean("drover.updateDocs")) {
      Files.writeString(CliReference.FILE, rendered, StandardCharsets.UTF_8);
    }
    assertTrue(Files.exists(CliReference.FILE), "docs/cli.md is missing; run the test with -Ddrover.updateDocs=true");
    assertEquals(rendered, Files.readString(CliReference.FILE, StandardCharsets.UTF_8),
        "docs/cli.md is out of date; regenerate it: ./mvnw -pl cli test -Dtest=CliReferenceTest -Ddrover.updateDocs=true");
    for (String command : new String[] {"## drover dev", "## drover completion", "## drover server", "--no-color"}) {
      assertTrue(rendered.contains(command), command);
    }
  }

  @Test
  void completionScriptsForBashAndZsh() {
    StringWriter bash = new StringWriter();
    assertEquals(0, Main.run(CliReference.ENVIRONMENT, new PrintWriter(bash), new PrintWriter(new StringWriter()), "completion", "bash"));
    assertTrue(bash.toString().contains("complete -F _complete_drover -o default drover"), bash.toString());
    assertTrue(bash.toString().contains("apply"), "completes subcommands");

    StringWriter zsh = new StringWriter();
    assertEquals(0, Main.run(CliReference.ENVIRONMENT, new PrintWriter(zsh), new PrintWriter(new StringWriter()), "completion", "zsh"));
    assertTrue(zsh.toString().startsWith("autoload -U +X compinit && compinit\nautoload -U +X bashcompinit && bashcompinit\n"));

    StringWriter err = new StringWriter();
    assertEquals(64, Main.run(CliReference.ENVIRONMENT, new PrintWriter(new StringWriter()), new PrintWriter(err), "completion", "fish"));
    assertTrue(err.toString().contains("bash, zsh"), err.toString());
  }
}
