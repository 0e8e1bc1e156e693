package io.drover.server.store;

import static io.drover.server.store.db.Tables.TOKEN;

import io.drover.server.store.db.tables.records.TokenRecord;
import io.drover.tls.Fingerprints;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * Operator tokens (with a role) and agent enrollment tokens. A token reads {@code drv_<id>_<secret>};
 * only the SHA-256 of the secret is stored, compared in constant time. Enrollment tokens have a
 * number of uses, spent atomically, and an expiry.
 */
public final class TokenStore {
  public static final String OPERATOR = "operator";
  public static final String ENROLL = "enroll";
  private static final Pattern FORMAT = Pattern.compile("drv_([0-9a-f]{16})_([0-9a-f]{64})");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Database db;
  private final Clock clock;

  /** A token as stored, without its secret. */
  public record Token(String id, String kind, String role, String name, Map<String, String> labels, Integer usesLeft,
      OffsetDateTime createdAt, String createdBy, OffsetDateTime expiresAt, OffsetDateTime revokedAt) {}

  /** A token just made: the only time its secret is known. */
  public record Created(Token token, String secret) {}

  TokenStore(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /**
   * Makes a token. {@code ttl} null means no expiry; {@code uses} counts enrollments (enrollment
   * tokens only).
   */
  public Created create(String kind, String role, String name, Duration ttl, Integer uses, Map<String, String> labels,
      String createdBy) {
    return create(db.dsl(), kind, role, name, ttl, uses, labels, createdBy);
  }

  private Created create(DSLContext dsl, String kind, String role, String name, Duration ttl, Integer uses,
      Map<String, String> labels, String createdBy) {
    byte[] idBytes = new byte[8];
    byte[] secretBytes = new byte[32];
    RANDOM.nextBytes(idBytes);
    RANDOM.nextBytes(secretBytes);
    String id = HexFormat.of().formatHex(idBytes);
    String secret = HexFormat.of().formatHex(secretBytes);
    OffsetDateTime now = OffsetDateTime.now(clock);
    TokenRecord r = dsl.newRecord(TOKEN);
    r.setId(id);
    r.setKind(kind);
    r.setRole(role == null ? "" : role);
    r.setName(name == null ? "" : name);
    r.setSecretSha256(hash(secret));
    r.setLabels(JsonColumns.labels(labels));
    r.setUsesLeft(uses);
    r.setCreatedAt(now);
    r.setCreatedBy(createdBy);
    r.setExpiresAt(ttl == null ? null : now.plus(ttl));
    r.store();
    return new Created(token(r), "drv_" + id + "_" + secret);
  }

  /** The id in a token as {@code presented} (the part before its secret), if it has the token's form. */
  public static Optional<String> idOf(String presented) {
    Matcher m = FORMAT.matcher(presented == null ? "" : presented.strip());
    return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
  }

  /** The live operator token {@code presented} names, if its secret matches. */
  public Optional<Token> authenticate(String presented) {
    Matcher m = FORMAT.matcher(presented == null ? "" : presented.strip());
    if (!m.matches()) {
      return Optional.empty();
    }
    TokenRecord r = db.dsl().selectFrom(TOKEN).where(TOKEN.ID.eq(m.group(1))).fetchOne();
    if (r == null || !matches(r, m.group(2)) || !live(r)) {
      return Optional.empty();
    }
    return Optional.of(token(r));
  }

  /**
   * Spends one use of the enrollment token {@code presented}: exactly one of two concurrent callers
   * wins the last use. Empty when the token is unknown, wrong, expired, revoked or used up.
   */
  public Optional<Token> spendEnrollment(String presented) {
    return spendEnrollment(db.dsl(), presented);
  }

  Optional<Token> spendEnrollment(DSLContext dsl, String presented) {
    Matcher m = FORMAT.matcher(presented == null ? "" : presented.strip());
    if (!m.matches()) {
      return Optional.empty();
    }
    TokenRecord r = dsl.selectFrom(TOKEN).where(TOKEN.ID.eq(m.group(1)), TOKEN.KIND.eq(ENROLL)).fetchOne();
    if (r == null || !matches(r, m.group(2))) {
      return Optional.empty();
    }
    OffsetDateTime now = OffsetDateTime.now(clock);
    TokenRecord spent = dsl.update(TOKEN)
        .set(TOKEN.USES_LEFT, TOKEN.USES_LEFT.minus(1))
        .where(TOKEN.ID.eq(r.getId()), TOKEN.USES_LEFT.gt(0), TOKEN.REVOKED_AT.isNull(),
            TOKEN.EXPIRES_AT.isNull().or(TOKEN.EXPIRES_AT.gt(now)))
        .returning()
        .fetchOne();
    return Optional.ofNullable(spent).map(TokenStore::token);
  }

  public List<Token> list() {
    return db.dsl().selectFrom(TOKEN).orderBy(TOKEN.CREATED_AT, TOKEN.ID).fetch(TokenStore::token);
  }

  /** Revokes the token; empty when there is no such token. A second revoke keeps the first time. */
  public Optional<Token> revoke(String id) {
    OffsetDateTime now = OffsetDateTime.now(clock);
    db.dsl().update(TOKEN).set(TOKEN.REVOKED_AT, now).where(TOKEN.ID.eq(id), TOKEN.REVOKED_AT.isNull()).execute();
    return Optional.ofNullable(db.dsl().selectFrom(TOKEN).where(TOKEN.ID.eq(id)).fetchOne()).map(TokenStore::token);
  }

  /**
   * Creates the first admin token when the database has no token at all, under a lock shared by all
   * servers; returns it, or empty when tokens exist already.
   */
  public Optional<Created> createInitialAdmin() {
    return db.dsl().transactionResult(c -> {
      c.dsl().select(DSL.field("pg_advisory_xact_lock(7230151)")).fetch();
      if (c.dsl().fetchExists(TOKEN)) {
        return Optional.empty();
      }
      return Optional.of(create(c.dsl(), OPERATOR, "admin", "initial admin", null, null, Map.of(), "server"));
    });
  }

  private boolean live(TokenRecord r) {
    OffsetDateTime now = OffsetDateTime.now(clock);
    return r.getKind().equals(OPERATOR) && r.getRevokedAt() == null
        && (r.getExpiresAt() == null || r.getExpiresAt().isAfter(now));
  }

  private static boolean matches(TokenRecord r, String secret) {
    return MessageDigest.isEqual(r.getSecretSha256().getBytes(StandardCharsets.US_ASCII),
        hash(secret).getBytes(StandardCharsets.US_ASCII));
  }

  private static String hash(String secret) {
    return Fingerprints.sha256(secret.getBytes(StandardCharsets.US_ASCII));
  }

  private static Token token(TokenRecord r) {
    return new Token(r.getId(), r.getKind(), r.getRole(), r.getName(), JsonColumns.labels(r.getLabels()),
        r.getUsesLeft(), r.getCreatedAt(), r.getCreatedBy(), r.getExpiresAt(), r.getRevokedAt());
  }
}
