/**
 * App bundles: {@link io.drover.cli.bundle.BundlePacker} packs a source directory into a
 * deterministic tar.gz named by its sha256; {@link io.drover.cli.bundle.BundleUploader} sends it to
 * the server unless the server already holds that digest. Uses the wire API (proto), gRPC and
 * commons-compress; no other package of the CLI.
 */
package io.drover.cli.bundle;
