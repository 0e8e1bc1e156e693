/**
 * The OperatorService the CLI calls: apply, plan, rollback, delete, status, rollouts, hosts, drains
 * and bundles, with the watch streams that push a fresh view on every change. {@link
 * io.drover.server.operator.OperatorViews} maps the store's records to the wire API (secrets masked).
 *
 * <p>May use {@code store}, {@code plan}, {@code history}, {@code secrets}, {@code security},
 * {@code changes} and {@code rpc}. Handlers throw; {@link io.drover.server.rpc.ErrorInterceptor}
 * answers the status.
 */
package io.drover.server.operator;
