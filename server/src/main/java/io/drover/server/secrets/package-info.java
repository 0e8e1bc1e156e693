/**
 * App secrets at rest: the server's key ({@link io.drover.server.secrets.SecretsKeyFile}, {@code
 * <data-dir>/secrets.key}, outside the database), AES-256-GCM sealing of one value bound to its app
 * and name ({@link io.drover.server.secrets.SecretBox}, {@link io.drover.server.secrets.SealedSecret}),
 * and what happens to a spec's {@code secrets} on the way in (sealed before it is stored), out to an
 * operator (masked) and out to an agent that runs the app (opened) ({@link
 * io.drover.server.secrets.SpecSecrets}).
 *
 * <p>May use {@code security} (the key file is written as a private file).
 */
package io.drover.server.secrets;
