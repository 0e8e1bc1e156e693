package io.drover.server.operator;

import io.drover.api.v1.BundleHeader;
import io.drover.api.v1.UploadBundleRequest;
import io.drover.api.v1.UploadBundleResponse;
import io.drover.server.rpc.ErrorStatus;
import io.drover.server.store.BundleStore;
import io.drover.server.store.SpecCodec;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One UploadBundle call: a header with sha256 and size, then data. Stores the bundle only when the
 * received bytes have exactly that size and hash; refuses bundles above {@link BundleStore#MAX_SIZE}.
 */
final class BundleUpload implements StreamObserver<UploadBundleRequest> {
  private static final Logger log = LoggerFactory.getLogger(BundleUpload.class);

  private final BundleStore bundles;
  private final StreamObserver<UploadBundleResponse> responses;
  private BundleHeader header;
  private ByteArrayOutputStream data;
  private boolean failed;

  BundleUpload(BundleStore bundles, StreamObserver<UploadBundleResponse> responses) {
    this.bundles = bundles;
    this.responses = responses;
  }

  @Override
  public void onNext(UploadBundleRequest request) {
    if (failed) {
      return;
    }
    if (header == null) {
      if (!request.hasHeader()) {
        fail(Status.INVALID_ARGUMENT.withDescription("header: the first message must carry sha256 and size"));
        return;
      }
      header(request.getHeader());
      return;
    }
    if (request.hasHeader()) {
      fail(Status.INVALID_ARGUMENT.withDescription("header: sent twice"));
      return;
    }
    if (data.size() + (long) request.getData().size() > header.getSize()) {
      fail(Status.INVALID_ARGUMENT.withDescription(
          "data: more than the " + header.getSize() + " bytes the header announced"));
      return;
    }
    data.writeBytes(request.getData().toByteArray());
  }

  private void header(BundleHeader h) {
    if (!BundleStore.validSha256(h.getSha256())) {
      fail(Status.INVALID_ARGUMENT.withDescription(
          "header.sha256: \"" + h.getSha256() + "\" is not a lower-case hex sha256"));
    } else if (h.getSize() < 0) {
      fail(Status.INVALID_ARGUMENT.withDescription("header.size: must not be negative, got " + h.getSize()));
    } else if (h.getSize() > BundleStore.MAX_SIZE) {
      fail(Status.RESOURCE_EXHAUSTED.withDescription("bundle of " + h.getSize() + " bytes exceeds the limit of "
          + BundleStore.MAX_SIZE / (1024 * 1024) + " MiB"));
    } else {
      header = h;
      data = new ByteArrayOutputStream((int) Math.min(h.getSize(), 1024 * 1024));
    }
  }

  @Override
  public void onError(Throwable t) {
    failed = true;
    data = null;
    log.debug("event=upload_abandoned error={}", Status.fromThrowable(t).getCode());
  }

  @Override
  public void onCompleted() {
    if (failed) {
      return;
    }
    if (header == null) {
      fail(Status.INVALID_ARGUMENT.withDescription("header: missing; the first message must carry sha256 and size"));
      return;
    }
    byte[] bytes = data.toByteArray();
    data = null;
    if (bytes.length != header.getSize()) {
      fail(Status.INVALID_ARGUMENT.withDescription("header.size: announced " + header.getSize()
          + " bytes, received " + bytes.length));
      return;
    }
    String actual = SpecCodec.sha256(bytes);
    if (!actual.equals(header.getSha256())) {
      fail(Status.INVALID_ARGUMENT.withDescription("header.sha256: announced " + header.getSha256()
          + ", received bytes hash to " + actual));
      return;
    }
    try {
      bundles.put(actual, bytes);
    } catch (RuntimeException e) {
      fail(ErrorStatus.of(e, "store bundle " + actual).getStatus());
      return;
    }
    log.info("event=bundle_uploaded bundle={} size={}", actual, bytes.length);
    responses.onNext(UploadBundleResponse.newBuilder().setSha256(actual).setSize(bytes.length).build());
    responses.onCompleted();
  }

  private void fail(Status status) {
    failed = true;
    data = null;
    responses.onError(status.asRuntimeException());
  }
}
