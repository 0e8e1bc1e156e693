package io.drover.cli.command;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code drover completion bash|zsh}: prints the shell completion script for drover. */
@Command(
    name = "completion",
    description = {
      "Prints the shell completion script for bash or zsh.",
      "bash: source <(drover completion bash)   (or save it under /etc/bash_completion.d/drover)",
      "zsh:  source <(drover completion zsh)    (e.g. in ~/.zshrc)"
    })
public final class CompletionCommand implements Callable<Integer> {
  /** The shells a script can be printed for. */
  public enum Shell { bash, zsh }

  @Spec CommandSpec command;

  @Parameters(paramLabel = "SHELL", description = "bash or zsh.")
  Shell shell;

  @Override
  public Integer call() {
    CommandLine root = command.root().commandLine();
    String script = AutoComplete.bash(root.getCommandName(), root);
    PrintWriter out = command.commandLine().getOut();
    if (shell == Shell.zsh) {
      // picocli's script runs under zsh through bash-compatible completion
      out.println("autoload -U +X compinit && compinit");
      out.println("autoload -U +X bashcompinit && bashcompinit");
    }
    out.print(script);
    out.flush();
    return 0;
  }
}
