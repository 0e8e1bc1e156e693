package io.drover.server.rpc;

import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import java.time.OffsetDateTime;

/** How instants and durations of the domain records travel in the wire API. */
public final class ProtoTime {
  private ProtoTime() {}

  public static Timestamp timestamp(OffsetDateTime t) {
    return Timestamp.newBuilder().setSeconds(t.toEpochSecond()).setNanos(t.getNano()).build();
  }

  public static Duration duration(java.time.Duration d) {
    return Duration.newBuilder().setSeconds(d.getSeconds()).setNanos(d.getNano()).build();
  }
}
