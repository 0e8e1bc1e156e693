/**
 * The certificates of apps with {@code nginx.tls: acme}, decided in pure code: {@link
 * io.drover.server.certs.RenewalPolicy} says when an app's certificate is obtained or renewed (a
 * third of its lifetime before it ends, at once when forced or when the domains changed) and how
 * long a failing app waits (capped exponential backoff, so one broken app cannot use up the
 * installation's rate limit at the CA); {@link io.drover.server.certs.ChallengeGate} says when the CA
 * may be asked to validate an HTTP-01 challenge (every assigned, connected host serves it); {@link
 * io.drover.server.certs.CertificateState} names the states {@code drover certs} shows, and {@link
 * io.drover.server.certs.CertificateStatus} what it shows of an app's stored spec.
 *
 * <p>Uses no other server package, no database, no network and no wire type but the spec model
 * ({@code AppSpec}).
 */
package io.drover.server.certs;
