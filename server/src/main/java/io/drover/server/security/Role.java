package io.drover.server.security;

import java.util.Locale;
import java.util.Optional;

/** An operator token's role; each includes the ones before it. */
public enum Role {
  /** Reads everything, changes nothing. */
  VIEWER,
  /** Changes apps: apply, delete, rollback, bundles. */
  DEPLOYER,
  /** Everything: hosts, tokens, the audit log. */
  ADMIN;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean includes(Role other) {
    return compareTo(other) >= 0;
  }

  /** The role named {@code text} (admin, deployer or viewer). */
  public static Optional<Role> parse(String text) {
    for (Role r : values()) {
      if (r.wireName().equals(text)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }
}
