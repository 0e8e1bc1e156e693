/**
 * App bundles: {@link io.drover.cli.bundle.BundlePacker} packs a source directory into a
 * deterministic tar.gz named by its sha256; {@link io.drover.cli.bundle.BundleUploader} sends it to
 * the server unless the server already holds that digest.
 */
package io.drover.cli.bundle;
