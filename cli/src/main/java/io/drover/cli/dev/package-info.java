/**
 * {@code drover dev} and {@code drover server --dev}: an embedded PostgreSQL under one state
 * directory, and a server with one sandboxed agent in the same process serving the hello example.
 * Uses the server and agent modules, the wire API and the TLS helpers; no other package of the CLI
 * (the commands that start it live in {@code cli.command}).
 */
package io.drover.cli.dev;
