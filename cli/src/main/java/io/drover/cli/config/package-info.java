/** The CLI's config file, {@code $XDG_CONFIG_HOME/drover/config.yaml}: where the server is. */
package io.drover.cli.config;
