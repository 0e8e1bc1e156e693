package io.drover.cli.spec;

import io.drover.api.v1.AppSpec;
import java.nio.file.Path;

/**
 * An app spec read from its YAML file: the spec (without its bundle digest, which comes from packing
 * {@code source}) and the resolved source directory.
 *
 * @param file the YAML file it was read from
 * @param spec the spec, checked against {@link io.drover.spec.SpecRules#checkBeforeBundle}
 * @param source the app's source directory
 */
public record SpecFile(Path file, AppSpec spec, Path source) {}
