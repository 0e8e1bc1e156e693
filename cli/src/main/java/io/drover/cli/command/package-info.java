/**
 * The {@code drover} subcommands, one class each ({@code ApplyCommand}, {@code StatusCommand}, ...),
 * and what they share: the option mixins ({@link io.drover.cli.command.ServerOptions} for {@code
 * --server}/{@code --ca-fingerprint}/the token, {@link io.drover.cli.command.OutputOption}, {@link
 * io.drover.cli.command.WaitOptions} and {@link io.drover.cli.command.Timeout}), the connection to the
 * server and how its failures read ({@link io.drover.cli.command.OperatorConnection}, {@link
 * io.drover.cli.command.Unreachable}), the following of a pushed stream ({@link
 * io.drover.cli.command.StatusWatch}), and the exit codes ({@link io.drover.cli.command.ExitCode}).
 *
 * <p>May use the other CLI packages ({@code config}, {@code output}, {@code bundle}, {@code spec},
 * {@code dev}), the wire API, the server and agent entry points; never the root package {@code
 * io.drover.cli}. A command gets the {@code Environment} or {@code Terminal} it needs through its
 * constructor (the root package's factory passes them). Adding a command: write its class here, list
 * it in {@link io.drover.cli.Main}'s subcommands, and cover it in {@code CommandsTest}.
 */
package io.drover.cli.command;
