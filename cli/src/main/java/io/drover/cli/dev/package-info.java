/**
 * {@code drover dev} and {@code drover server --dev}: an embedded PostgreSQL under one state
 * directory, and a server with one sandboxed agent in the same process serving the hello example.
 */
package io.drover.cli.dev;
