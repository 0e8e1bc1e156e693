/**
 * An app's code on the host: the cache of bundles fetched from the server and checked against their
 * sha256 ({@code BundleStore}), their safe extraction into a release directory ({@code
 * ReleaseExtractor}) and the release's virtualenv ({@code Virtualenv}). Uses {@code agent.host} and
 * the wire API; nothing else of the agent.
 */
package io.drover.agent.bundle;
