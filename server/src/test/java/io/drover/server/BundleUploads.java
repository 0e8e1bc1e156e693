package io.drover.server;

import com.google.protobuf.ByteString;
import io.drover.api.v1.BundleHeader;
import io.drover.api.v1.OperatorServiceGrpc;
import io.drover.api.v1.UploadBundleRequest;
import io.drover.api.v1.UploadBundleResponse;
import io.drover.server.store.SpecCodec;
import io.grpc.Channel;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Uploads bundles the way the CLI does: a header, then 50 kB chunks. */
final class BundleUploads {
  private BundleUploads() {}

  /** Uploads {@code data} under its own digest and size. */
  static UploadBundleResponse upload(Channel channel, byte[] data) {
    return upload(channel, data, SpecCodec.sha256(data), data.length);
  }

  /** Uploads {@code data} announced as {@code sha} and {@code size}; a refusal is thrown as its status. */
  static UploadBundleResponse upload(Channel channel, byte[] data, String sha, long size) {
    CompletableFuture<UploadBundleResponse> result = new CompletableFuture<>();
    StreamObserver<UploadBundleRequest> up = OperatorServiceGrpc.newStub(channel).uploadBundle(new StreamObserver<>() {
      @Override
      public void onNext(UploadBundleResponse r) {
        result.complete(r);
      }

      @Override
      public void onError(Throwable t) {
        result.completeExceptionally(t);
      }

      @Override
      public void onCompleted() {}
    });
    up.onNext(UploadBundleRequest.newBuilder().setHeader(BundleHeader.newBuilder().setSha256(sha).setSize(size)).build());
    for (int off = 0; off < data.length; off += 50_000) {
      up.onNext(UploadBundleRequest.newBuilder()
          .setData(ByteString.copyFrom(data, off, Math.min(50_000, data.length - off))).build());
    }
    up.onCompleted();
    try {
      return result.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw (StatusRuntimeException) e.getCause();
    } catch (Exception e) {
      throw new IllegalStateException("upload did not finish", e);
    }
  }
}
