/**
 * The {@code drover} subcommands, one class each ({@code ApplyCommand}, {@code StatusCommand}, ...),
 * with what they share: the {@code --server} option, the connection to the server, and the
 * following of an app's status stream. Adding a command: write its class here, list it in {@link
 * io.drover.cli.Main}'s subcommands, and cover it in {@code CommandsTest}.
 */
package io.drover.cli.command;
