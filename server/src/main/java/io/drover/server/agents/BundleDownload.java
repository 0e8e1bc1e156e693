package io.drover.server.agents;

import com.google.protobuf.ByteString;
import io.drover.api.v1.BundleChunk;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Streams one bundle file in 64 KiB chunks, only as fast as the client takes them. */
final class BundleDownload {
  static final int CHUNK = 64 * 1024;

  private final ServerCallStreamObserver<BundleChunk> out;
  private final String sha256;
  private final FileChannel file;
  private boolean done;

  private BundleDownload(ServerCallStreamObserver<BundleChunk> out, String sha256, FileChannel file) {
    this.out = out;
    this.sha256 = sha256;
    this.file = file;
  }

  static void start(ServerCallStreamObserver<BundleChunk> out, String sha256, Path path) throws IOException {
    BundleDownload download = new BundleDownload(out, sha256, FileChannel.open(path, StandardOpenOption.READ));
    out.setOnCancelHandler(download::finish);
    out.setOnReadyHandler(download::pump);
    download.pump();
  }

  private synchronized void pump() {
    try {
      ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
      while (!done && out.isReady()) {
        buffer.clear();
        int n = file.read(buffer);
        if (n < 0) {
          finish();
          out.onCompleted();
          return;
        }
        buffer.flip();
        out.onNext(BundleChunk.newBuilder().setData(ByteString.copyFrom(buffer)).build());
      }
    } catch (IOException e) {
      finish();
      out.onError(Status.INTERNAL.withDescription("cannot read bundle " + sha256 + ": " + e.getMessage())
          .withCause(e).asRuntimeException());
    }
  }

  private synchronized void finish() {
    if (done) {
      return;
    }
    done = true;
    try {
      file.close();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot close bundle " + sha256, e);
    }
  }
}
