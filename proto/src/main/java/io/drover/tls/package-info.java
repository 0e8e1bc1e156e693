/**
 * TLS trust shared by the server, the agent and the CLI: PEM files, CA fingerprints, and the trust
 * managers that accept only certificates issued by the server's own CA for the role they play (a
 * server certificate for a server, a client certificate for an agent).
 */
package io.drover.tls;
