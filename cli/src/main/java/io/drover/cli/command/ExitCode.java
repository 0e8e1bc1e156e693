package io.drover.cli.command;

/**
 * The exit status of every {@code drover} command, in one table (docs/cli.md prints it). A script
 * tells a failed operation from pending changes, a timeout and a typo by the number alone.
 */
public enum ExitCode {
  OK(0, "done; for plan: applying the spec would change nothing"),
  FAILED(1, "the operation failed: refused by the server, invalid spec, rollout failed or reverted, server unreachable or in error"),
  CHANGES(2, "plan only: applying the spec would change something"),
  TIMED_OUT(3, "timed out waiting: --timeout of --wait or rollout status --watch, drain --deadline (what was started goes on)"),
  USAGE(64, "usage error: unknown command or option, missing or bad flag value, bad --server (BSD EX_USAGE)");

  private final int code;
  private final String meaning;

  ExitCode(int code, String meaning) {
    this.code = code;
    this.meaning = meaning;
  }

  /** The number the process exits with. */
  public int code() {
    return code;
  }

  /** What it means, for the reference table. */
  public String meaning() {
    return meaning;
  }
}
