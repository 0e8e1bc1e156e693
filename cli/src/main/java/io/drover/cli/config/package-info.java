/**
 * Where the CLI's settings come from: {@link io.drover.cli.config.Environment}, the process's
 * variables (every one listed in {@link io.drover.cli.config.EnvironmentVariable}) and the defaults
 * that follow from them, and {@link io.drover.cli.config.CliConfig}, the config file {@code drover
 * login} writes ({@code $XDG_CONFIG_HOME/drover/config.yaml}). Uses Jackson and the JDK only; no
 * other package of the CLI.
 */
package io.drover.cli.config;
