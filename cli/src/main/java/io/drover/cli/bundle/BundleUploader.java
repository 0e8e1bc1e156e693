package io.drover.cli.bundle;

import com.google.protobuf.ByteString;
import io.drover.api.v1.BundleHeader;
import io.drover.api.v1.HasBundleRequest;
import io.drover.api.v1.OperatorServiceGrpc;
import io.drover.api.v1.UploadBundleRequest;
import io.drover.api.v1.UploadBundleResponse;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Sends a bundle to the server unless the server already has it. */
public final class BundleUploader {
  /** The size of the data messages of an upload. */
  public static final int CHUNK_BYTES = 64 * 1024;

  private final Channel channel;
  private final Duration deadline;

  public BundleUploader(Channel channel, Duration deadline) {
    this.channel = channel;
    this.deadline = deadline;
  }

  /** Uploads {@code bundle} when the server lacks it; returns whether it was sent. */
  public boolean ensureUploaded(Bundle bundle) {
    boolean exists =
        OperatorServiceGrpc.newBlockingStub(channel)
            .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
            .hasBundle(HasBundleRequest.newBuilder().setSha256(bundle.sha256()).build())
            .getExists();
    if (exists) {
      return false;
    }
    upload(bundle);
    return true;
  }

  private void upload(Bundle bundle) {
    CompletableFuture<UploadBundleResponse> done = new CompletableFuture<>();
    StreamObserver<UploadBundleRequest> requests =
        OperatorServiceGrpc.newStub(channel)
            .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
            .uploadBundle(
                new StreamObserver<>() {
                  @Override
                  public void onNext(UploadBundleResponse response) {
                    done.complete(response);
                  }

                  @Override
                  public void onError(Throwable t) {
                    done.completeExceptionally(t);
                  }

                  @Override
                  public void onCompleted() {
                    done.completeExceptionally(
                        Status.INTERNAL.withDescription("server ended the upload of bundle " + bundle.sha256() + " without an answer").asRuntimeException());
                  }
                });
    requests.onNext(
        UploadBundleRequest.newBuilder()
            .setHeader(BundleHeader.newBuilder().setSha256(bundle.sha256()).setSize(bundle.size()))
            .build());
    byte[] data = bundle.data();
    for (int off = 0; off < data.length && !done.isDone(); off += CHUNK_BYTES) {
      requests.onNext(
          UploadBundleRequest.newBuilder()
              .setData(ByteString.copyFrom(data, off, Math.min(CHUNK_BYTES, data.length - off)))
              .build());
    }
    requests.onCompleted();
    try {
      done.get(deadline.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof StatusRuntimeException s) {
        throw s;
      }
      throw Status.fromThrowable(e.getCause()).asRuntimeException();
    } catch (TimeoutException e) {
      throw Status.DEADLINE_EXCEEDED.withDescription("upload of bundle " + bundle.sha256() + " timed out").asRuntimeException();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Status.CANCELLED.withDescription("interrupted while uploading bundle " + bundle.sha256()).asRuntimeException();
    }
  }
}
