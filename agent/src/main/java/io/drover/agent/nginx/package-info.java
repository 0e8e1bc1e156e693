/**
 * The nginx the agent drives: an app's server block ({@code NginxSite}), writing, checking ({@code
 * nginx -t}) and reloading it with the previous file put back when nginx refuses it ({@code Nginx}),
 * and waiting until the old workers stopped accepting ({@code NginxWorkers}). Uses {@code agent.host}
 * and {@code io.drover.spec}.
 */
package io.drover.agent.nginx;
