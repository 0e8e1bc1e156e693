package io.drover.cli.config;

/**
 * Every environment variable {@code drover} reads, with what it does; docs/cli.md prints this table.
 * {@link Environment#get} takes only these, so a variable cannot be read without being listed here.
 */
public enum EnvironmentVariable {
  DROVER_ADDR("The server's HOST:PORT when --server is not given (before `server:` in the CLI config)."),
  DROVER_TOKEN("The operator token; overrides the CLI config's."),
  DROVER_CA_FINGERPRINT("The SHA-256 fingerprint of the server's CA when --ca-fingerprint is not given (operator "
      + "commands, and an agent's first start)."),
  DROVER_DATABASE_URL("`drover server`: the JDBC URL of the database when --database-url is not given."),
  DROVER_ENROLL_TOKEN("`drover agent`: the enrollment token when neither --token nor --token-file is given."),
  DROVER_DEBUG("`1`: a failure prints its stack trace after the one-line reason, and gRPC and Netty log to stderr."),
  XDG_CONFIG_HOME("The CLI config is `$XDG_CONFIG_HOME/drover/config.yaml` (default `~/.config/drover/config.yaml`)."),
  XDG_DATA_HOME("Where `server`, `agent` and `dev` keep their files unless --data-dir says: "
      + "`$XDG_DATA_HOME/drover/ROLE` (default `~/.local/share/drover/ROLE`)."),
  NO_COLOR("Set and not empty: no colours, as with --no-color."),
  TERM("Unset or `dumb`: no colours and no live progress."),
  PATH("`drover dev` looks for nginx, supervisord and supervisorctl on it (and in /usr/sbin, /usr/bin)."),
  JAVA_HOME("The launcher: a JDK or JRE 21+ to run (else `java` on PATH, else the newest under /usr/lib/jvm)."),
  DROVER_JAVA_OPTS("The launcher: extra JVM options, after its own."),
  XDG_CACHE_HOME("The launcher: short commands keep a JVM class archive in `$XDG_CACHE_HOME/drover` "
      + "(default `~/.cache/drover`).");

  private final String description;

  EnvironmentVariable(String description) {
    this.description = description;
  }

  public String description() {
    return description;
  }
}
