/**
 * How commands print: aligned tables for people ({@link io.drover.cli.output.Table}), JSON in the
 * proto3 mapping for scripts ({@link io.drover.cli.output.JsonOutput}), progress redrawn in place
 * ({@link io.drover.cli.output.LiveBlock}) and colour only where {@link io.drover.cli.output.Terminal}
 * allows. Uses protobuf, Jackson and the JDK; no other package of the CLI.
 */
package io.drover.cli.output;
