/**
 * App spec files: {@link io.drover.cli.spec.SpecReader} reads a YAML spec strictly into an {@code
 * AppSpec} and its source directory, reporting every problem with the field it concerns; {@link
 * io.drover.cli.spec.SpecYaml} writes a stored spec back in the same format.
 */
package io.drover.cli.spec;
