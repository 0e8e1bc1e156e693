package io.drover.cli.bundle;

/**
 * A packed app source: the tar.gz bytes and their sha256, the digest an {@code AppSpec} names.
 *
 * @param data the tar.gz bytes (not copied; do not modify)
 * @param sha256 lowercase hex sha256 of {@code data}
 */
public record Bundle(byte[] data, String sha256) {
  public int size() {
    return data.length;
  }
}
