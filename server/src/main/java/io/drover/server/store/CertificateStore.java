package io.drover.server.store;

import static io.drover.server.store.db.Tables.AGENT_CERTIFICATE;
import static io.drover.server.store.db.Tables.ENROLLMENT_REQUEST;
import static io.drover.server.store.db.Tables.SERVER_CA;

import io.drover.server.changes.ChangeNotice;
import io.drover.server.store.db.tables.records.AgentCertificateRecord;
import io.drover.server.store.db.tables.records.EnrollmentRequestRecord;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * The certificates issued to agents, the enrollments waiting for an operator's approval, and the
 * fingerprint of the CA every server on this database must share.
 */
public final class CertificateStore {
  private final Database db;
  private final TokenStore tokens;
  private final Clock clock;

  /** An issued agent certificate as recorded. */
  public record AgentCertificate(String serial, String host, Map<String, String> labels, OffsetDateTime notAfter,
      OffsetDateTime revokedAt) {}

  /** What an enrollment came to. */
  public sealed interface Enrollment {
    /** Issued: the certificate and the labels fixed for the host. */
    record Issued(X509Certificate certificate, String tokenId) implements Enrollment {}

    /** The host name is enrolled already: waits for {@code drover host approve}. */
    record Pending(String tokenId) implements Enrollment {}

    /** The token is unknown, wrong, expired, revoked or used up. */
    record Refused() implements Enrollment {}
  }

  CertificateStore(Database db, TokenStore tokens, Clock clock) {
    this.db = db;
    this.tokens = tokens;
    this.clock = clock;
  }

  /**
   * Records {@code fingerprint} as the CA of this database when none is, and returns the one recorded
   * (another server's, when it was first).
   */
  public String recordCa(String fingerprint, String certificatePem) {
    db.dsl().insertInto(SERVER_CA)
        .set(SERVER_CA.ID, 1)
        .set(SERVER_CA.FINGERPRINT, fingerprint)
        .set(SERVER_CA.CERTIFICATE, certificatePem)
        .set(SERVER_CA.CREATED_AT, OffsetDateTime.now(clock))
        .onConflictDoNothing()
        .execute();
    return db.dsl().select(SERVER_CA.FINGERPRINT).from(SERVER_CA).where(SERVER_CA.ID.eq(1)).fetchOne(SERVER_CA.FINGERPRINT);
  }

  /** The fingerprint of this database's CA, if a server recorded one. */
  public Optional<String> caFingerprint() {
    return db.dsl().select(SERVER_CA.FINGERPRINT).from(SERVER_CA).where(SERVER_CA.ID.eq(1))
        .fetchOptional(SERVER_CA.FINGERPRINT);
  }

  /**
   * Enrolls {@code host} for the key whose SHA-256 is {@code keySha256}, in one transaction under a
   * per-host lock: an approved pending request for this key is issued (and the host's older
   * certificates revoked); otherwise the token is spent, and a host name with a live certificate gets
   * a pending request instead of a certificate. {@code issue} makes the certificate from the labels.
   */
  public Enrollment enroll(String host, String keySha256, String presentedToken, String peer,
      BiFunction<String, Map<String, String>, X509Certificate> issue) {
    return db.dsl().transactionResult(c -> {
      DSLContext tx = c.dsl();
      tx.select(DSL.field("pg_advisory_xact_lock(hashtext({0}))", Object.class, DSL.val("enroll:" + host))).fetch();
      OffsetDateTime now = OffsetDateTime.now(clock);
      EnrollmentRequestRecord approved = tx.selectFrom(ENROLLMENT_REQUEST)
          .where(ENROLLMENT_REQUEST.HOST.eq(host), ENROLLMENT_REQUEST.KEY_SHA256.eq(keySha256),
              ENROLLMENT_REQUEST.APPROVED_AT.isNotNull())
          .fetchOne();
      if (approved != null) {
        Map<String, String> labels = JsonColumns.labels(approved.getLabels());
        revokeHost(tx, host, now);
        X509Certificate cert = issue.apply(host, labels);
        record(tx, cert, host, keySha256, labels, now);
        tx.deleteFrom(ENROLLMENT_REQUEST).where(ENROLLMENT_REQUEST.HOST.eq(host)).execute();
        // every server re-checks the host's open stream, whose certificate was just revoked
        ChangeNotice.hosts(Set.of(host)).publish(tx);
        return new Enrollment.Issued(cert, approved.getTokenId());
      }
      Optional<TokenStore.Token> token = tokens.spendEnrollment(tx, presentedToken);
      if (token.isEmpty()) {
        return new Enrollment.Refused();
      }
      Map<String, String> labels = token.get().labels();
      boolean enrolled = tx.fetchExists(AGENT_CERTIFICATE,
          AGENT_CERTIFICATE.HOST.eq(host), AGENT_CERTIFICATE.REVOKED_AT.isNull());
      if (enrolled) {
        tx.insertInto(ENROLLMENT_REQUEST)
            .set(ENROLLMENT_REQUEST.HOST, host)
            .set(ENROLLMENT_REQUEST.KEY_SHA256, keySha256)
            .set(ENROLLMENT_REQUEST.LABELS, JsonColumns.labels(labels))
            .set(ENROLLMENT_REQUEST.TOKEN_ID, token.get().id())
            .set(ENROLLMENT_REQUEST.PEER, peer)
            .set(ENROLLMENT_REQUEST.REQUESTED_AT, now)
            .onConflictDoNothing()
            .execute();
        return new Enrollment.Pending(token.get().id());
      }
      X509Certificate cert = issue.apply(host, labels);
      record(tx, cert, host, keySha256, labels, now);
      return new Enrollment.Issued(cert, token.get().id());
    });
  }

  /**
   * Records a renewed certificate of {@code current}'s host, with the same labels, unless {@code
   * current} was revoked meanwhile (a renewal racing {@code drover host remove}): then false, and
   * nothing is recorded. The current certificate's row is locked, so a revocation waits or wins.
   */
  public boolean recordRenewal(AgentCertificate current, X509Certificate cert, String keySha256) {
    return db.dsl().transactionResult(c -> {
      DSLContext tx = c.dsl();
      boolean live = tx.selectFrom(AGENT_CERTIFICATE)
          .where(AGENT_CERTIFICATE.SERIAL.eq(current.serial()), AGENT_CERTIFICATE.REVOKED_AT.isNull())
          .forUpdate()
          .fetchOptional()
          .isPresent();
      if (live) {
        record(tx, cert, current.host(), keySha256, current.labels(), OffsetDateTime.now(clock));
      }
      return live;
    });
  }

  /** Approves the newest pending enrollment of {@code host}; empty when none waits. */
  public Optional<String> approve(String host, String by) {
    return db.dsl().update(ENROLLMENT_REQUEST)
        .set(ENROLLMENT_REQUEST.APPROVED_AT, OffsetDateTime.now(clock))
        .set(ENROLLMENT_REQUEST.APPROVED_BY, by)
        .where(ENROLLMENT_REQUEST.HOST.eq(host), ENROLLMENT_REQUEST.APPROVED_AT.isNull(),
            ENROLLMENT_REQUEST.REQUESTED_AT.eq(DSL.select(DSL.max(ENROLLMENT_REQUEST.REQUESTED_AT))
                .from(ENROLLMENT_REQUEST).where(ENROLLMENT_REQUEST.HOST.eq(host))))
        .returning(ENROLLMENT_REQUEST.KEY_SHA256)
        .fetchOptional(ENROLLMENT_REQUEST.KEY_SHA256);
  }

  /** The hosts with an enrollment waiting for approval. */
  public Set<String> pendingHosts() {
    return Set.copyOf(db.dsl().selectDistinct(ENROLLMENT_REQUEST.HOST).from(ENROLLMENT_REQUEST)
        .where(ENROLLMENT_REQUEST.APPROVED_AT.isNull()).fetch(ENROLLMENT_REQUEST.HOST));
  }

  /** The certificate with this serial, if it was issued by a server on this database. */
  public Optional<AgentCertificate> find(String serial) {
    return db.dsl().selectFrom(AGENT_CERTIFICATE).where(AGENT_CERTIFICATE.SERIAL.eq(serial))
        .fetchOptional(CertificateStore::certificate);
  }

  /** Which of {@code serials} are revoked. */
  public Set<String> revokedAmong(Collection<String> serials) {
    if (serials.isEmpty()) {
      return Set.of();
    }
    return db.dsl().select(AGENT_CERTIFICATE.SERIAL).from(AGENT_CERTIFICATE)
        .where(AGENT_CERTIFICATE.SERIAL.eq(DSL.any(serials.toArray(String[]::new))), AGENT_CERTIFICATE.REVOKED_AT.isNotNull())
        .fetch(AGENT_CERTIFICATE.SERIAL).stream().collect(Collectors.toUnmodifiableSet());
  }

  /** Revokes every certificate of {@code host} in {@code tx}; returns how many were live. */
  static int revokeHost(DSLContext tx, String host, OffsetDateTime now) {
    return tx.update(AGENT_CERTIFICATE).set(AGENT_CERTIFICATE.REVOKED_AT, now)
        .where(AGENT_CERTIFICATE.HOST.eq(host), AGENT_CERTIFICATE.REVOKED_AT.isNull())
        .execute();
  }

  private static void record(DSLContext tx, X509Certificate cert, String host, String keySha256,
      Map<String, String> labels, OffsetDateTime now) {
    tx.insertInto(AGENT_CERTIFICATE)
        .set(AGENT_CERTIFICATE.SERIAL, cert.getSerialNumber().toString(16))
        .set(AGENT_CERTIFICATE.HOST, host)
        .set(AGENT_CERTIFICATE.KEY_SHA256, keySha256)
        .set(AGENT_CERTIFICATE.LABELS, JsonColumns.labels(labels))
        .set(AGENT_CERTIFICATE.ISSUED_AT, now)
        .set(AGENT_CERTIFICATE.NOT_AFTER, cert.getNotAfter().toInstant().atOffset(ZoneOffset.UTC))
        .execute();
  }

  private static AgentCertificate certificate(AgentCertificateRecord r) {
    return new AgentCertificate(r.getSerial(), r.getHost(), JsonColumns.labels(r.getLabels()), r.getNotAfter(),
        r.getRevokedAt());
  }
}
