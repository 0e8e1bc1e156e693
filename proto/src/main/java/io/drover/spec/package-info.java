/**
 * The app spec as both ends see it, apart from the wire types: {@link io.drover.spec.SpecFields},
 * the one table of the YAML spec's fields ({@link io.drover.spec.SpecField}, in {@link
 * io.drover.spec.SpecSection}s, of a {@link io.drover.spec.SpecType}), which everything that lists
 * spec fields goes through: reading and writing a spec document ({@link io.drover.spec.SpecTree}, on
 * a YAML-free {@link io.drover.spec.SpecNode} tree), the rules ({@link io.drover.spec.SpecRules}),
 * the change list and the values {@code drover plan} shows, the runtime spec and masking secrets.
 * Beside it {@link io.drover.spec.DurationText}, the one way durations are read and shown, and
 * {@link io.drover.spec.DidYouMean}, the hint for a mistyped word.
 *
 * <p>Uses only the generated {@code io.drover.api.v1} types and protobuf: the agent, the server and
 * the CLI all depend on it, so it stays free of YAML, JSON and I/O.
 */
package io.drover.spec;
