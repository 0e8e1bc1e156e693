package io.drover.server.store;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.drover.api.v1.AppSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** How specs are stored: canonical bytes and their hash, and the proto3 JSON kept in the database. */
public final class SpecCodec {
  private SpecCodec() {}

  /** The spec's deterministic serialization: equal specs give equal bytes. */
  public static byte[] canonicalBytes(AppSpec spec) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(spec.getSerializedSize());
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    out.useDeterministicSerialization();
    try {
      spec.writeTo(out);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serialize spec of app " + spec.getName(), e);
    }
    return bytes.toByteArray();
  }

  /** Lower-case hex sha256 of the canonical bytes. */
  public static String hash(AppSpec spec) {
    return sha256(canonicalBytes(spec));
  }

  public static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("JDK without SHA-256", e);
    }
  }

  public static String toJson(AppSpec spec) {
    try {
      return JsonFormat.printer().omittingInsignificantWhitespace().print(spec);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("cannot print spec of app " + spec.getName() + " as JSON", e);
    }
  }

  public static AppSpec fromJson(String json) {
    AppSpec.Builder spec = AppSpec.newBuilder();
    try {
      JsonFormat.parser().merge(json, spec);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("stored spec is not valid AppSpec JSON: " + e.getMessage(), e);
    }
    return spec.build();
  }
}
