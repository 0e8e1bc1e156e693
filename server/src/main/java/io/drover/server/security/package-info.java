/**
 * Who may call what: the CA and TLS, the caller's {@link io.drover.server.security.Identity} per
 * call ({@link io.drover.server.security.Authenticator}, from a client certificate or bearer token),
 * the access rules read from the protos (deny by default), the audit log of calls, and the services
 * that manage credentials ({@link io.drover.server.security.EnrollmentEndpoint}, {@link
 * io.drover.server.security.AccessEndpoint}).
 *
 * <p>May use {@code store}, {@code changes} and {@code rpc}.
 */
package io.drover.server.security;
