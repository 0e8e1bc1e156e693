/**
 * What every gRPC service shares: {@link io.drover.server.rpc.ErrorStatus}, the one mapping from a
 * failure to a status, applied by {@link io.drover.server.rpc.ErrorInterceptor} to whatever escapes a
 * handler; {@link io.drover.server.rpc.ProtoTime}, how times travel.
 *
 * <p>May use {@code store} (to recognise an unreachable database and a fence refusal).
 */
package io.drover.server.rpc;
