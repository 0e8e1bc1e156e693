/**
 * App spec files in YAML: {@link io.drover.cli.spec.SpecReader} reads a YAML spec strictly into an
 * {@code AppSpec} and its source directory, reporting every problem with the field it concerns;
 * {@link io.drover.cli.spec.SpecYaml} writes a stored spec back in the same format. Both go through
 * the table of spec fields ({@code io.drover.spec.SpecTree}, {@code io.drover.spec.SpecFields}):
 * this package holds only what is YAML, Jackson's trees turned into spec trees ({@code YamlTree}).
 * Uses {@code io.drover.spec} and Jackson, nothing else of the CLI.
 */
package io.drover.cli.spec;
