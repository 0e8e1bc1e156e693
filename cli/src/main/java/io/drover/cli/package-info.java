/**
 * The {@code drover} command line: {@link io.drover.cli.Main} lists the subcommands and wires them
 * (a factory passing each the environment and terminal it needs), and turns every outcome into an
 * exit status and at most one line on stderr: {@link io.drover.cli.FailureReporter} for failures,
 * {@link io.drover.cli.UsageReporter} for usage errors with "did you mean" from {@link
 * io.drover.cli.Suggestions}. May use every CLI package; none of them uses this one.
 */
package io.drover.cli;
