package io.drover.cli.command;

import io.drover.api.v1.AppSpec;
import io.drover.cli.bundle.Bundle;
import io.drover.cli.bundle.BundlePacker;
import io.drover.cli.spec.InvalidSpecException;
import io.drover.cli.spec.SpecReader;
import java.io.IOException;
import java.nio.file.Path;

/** A spec file read and checked, with its source packed: the spec {@code apply} and {@code plan} send. */
record PackedSpec(AppSpec spec, Bundle bundle) {

  /** Reads {@code file}, packs its source and names the bundle's digest in the spec. */
  static PackedSpec read(Path file) throws InvalidSpecException {
    var read = SpecReader.read(file);
    Bundle bundle;
    try {
      bundle = BundlePacker.pack(read.source());
    } catch (IOException e) {
      throw new CommandFailure(file + ": source: " + e.getMessage(), e);
    }
    return new PackedSpec(read.spec().toBuilder().setBundleSha256(bundle.sha256()).build(), bundle);
  }
}
