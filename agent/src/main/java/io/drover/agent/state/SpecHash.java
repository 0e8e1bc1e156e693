package io.drover.agent.state;

import com.google.protobuf.CodedOutputStream;
import io.drover.api.v1.AppSpec;
import io.drover.spec.SpecFields;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The sha256 of what in a spec shapes the running instance ({@link SpecFields#runtime}: everything
 * but the placement and the update policy), serialized deterministically (map order fixed).
 */
public final class SpecHash {
  private SpecHash() {}

  public static String of(AppSpec spec) {
    AppSpec runtime = SpecFields.runtime(spec);
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      CodedOutputStream out = CodedOutputStream.newInstance(bytes);
      out.useDeterministicSerialization();
      runtime.writeTo(out);
      out.flush();
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.toByteArray()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from this JVM", e);
    }
  }
}
