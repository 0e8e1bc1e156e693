package io.drover.cli;

import io.drover.cli.command.ExitCode;
import io.drover.spec.DidYouMean;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Usage errors: one line on stderr, {@code drover: unknown command "aply" (did you mean apply?)} or
 * {@code drover: <problem> (see drover apply --help)}, and exit status {@link ExitCode#USAGE}; the
 * stack trace follows only with {@code DROVER_DEBUG}.
 */
final class UsageReporter implements IParameterExceptionHandler {
  private final boolean debug;

  UsageReporter(boolean debug) {
    this.debug = debug;
  }

  @Override
  public int handleParseException(ParameterException e, String[] args) {
    PrintWriter err = e.getCommandLine().getErr();
    err.println("drover: " + describe(e));
    if (debug) {
      e.printStackTrace(err);
    }
    err.flush();
    return ExitCode.USAGE.code();
  }

  /** The line for {@code e}, without the {@code drover: } prefix. */
  static String describe(ParameterException e) {
    CommandLine cli = e.getCommandLine();
    String command = cli.getCommandSpec().qualifiedName();
    String help = " (see " + command + " --help)";
    if (e instanceof UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
      String first = unmatched.getUnmatched().get(0);
      if (first.startsWith("-")) {
        String option = first.contains("=") ? first.substring(0, first.indexOf('=')) : first;
        return "unknown option \"" + option + "\"" + didYouMean(option, optionNames(cli), "", help);
      }
      if (!cli.getSubcommands().isEmpty()) {
        // below the root the command's own path comes first: "rollout stauts" (did you mean rollout status?)
        String path = cli.getParent() == null ? "" : command.substring(command.indexOf(' ') + 1) + " ";
        List<String> names = new ArrayList<>(cli.getSubcommands().keySet());
        return "unknown command \"" + path + first + "\"" + didYouMean(first, names, path, help);
      }
      return "unexpected argument \"" + first + "\"" + help;
    }
    if (e.getValue() != null && String.valueOf(e.getMessage()).startsWith("Unknown subcommand")) { // drover help aply
      CommandLine parent = cli.getCommand() instanceof CommandLine.HelpCommand ? cli.getParent() : cli;
      return "unknown command \"" + e.getValue() + "\""
          + didYouMean(e.getValue(), new ArrayList<>(parent.getSubcommands().keySet()), "", help);
    }
    if (e.getCause() instanceof TypeConversionException bad && e.getArgSpec() != null) {
      return name(e.getArgSpec()) + ": " + OneLine.of(bad.getMessage());
    }
    return OneLine.of(e.getMessage()) + help;
  }

  /** {@code --server}, or a positional parameter's label such as {@code SHELL}. */
  private static String name(ArgSpec arg) {
    return arg instanceof OptionSpec option ? option.longestName() : arg.paramLabel();
  }

  private static String didYouMean(String typed, List<String> names, String prefix, String otherwise) {
    List<String> near = DidYouMean.nearest(typed, names);
    if (near.isEmpty()) {
      return otherwise;
    }
    return " (did you mean " + String.join(" or ", near.stream().map(n -> prefix + n).toList()) + "?)";
  }

  private static List<String> optionNames(CommandLine cli) {
    List<String> names = new ArrayList<>();
    for (OptionSpec option : cli.getCommandSpec().options()) {
      names.addAll(List.of(option.names()));
    }
    return names;
  }
}
