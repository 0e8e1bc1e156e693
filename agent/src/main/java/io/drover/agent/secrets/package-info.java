/**
 * An app's secrets on the host: the file only the app's user may read, which Gunicorn's config loads
 * into the environment ({@code SecretsFile}). Uses {@code agent.host}.
 */
package io.drover.agent.secrets;
