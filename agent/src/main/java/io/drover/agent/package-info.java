/**
 * The Drover agent: {@link io.drover.agent.Agent} starts it from an {@link io.drover.agent.AgentConfig}
 * and wires the packages below together. It may use every package of the agent; they do not use it.
 *
 * <h2>Which work runs on which thread</h2>
 *
 * The agent stays small (its resident memory target is 64 MiB), so it has no thread pools: one
 * thread each for the few things that must not wait for one another, and a virtual thread for each
 * piece of work that may block on the host. {@link io.drover.agent.AgentThreads} makes them once; the
 * parts that use them take them as constructor arguments, so tests can hand in their own.
 *
 * <ul>
 *   <li><b>{@code drover-heartbeat}</b>, a platform thread: the stream's heartbeats and reconnects
 *       ({@code connect.ServerConnection}) and nothing else. Nothing on it blocks: sending only
 *       queues on the stream. It is a platform thread so that no virtual thread pinning the carrier
 *       threads can hold it up. This is what keeps a host {@code up} at the server whatever its
 *       supervisord, its apps or its disk do.
 *   <li><b>{@code drover-agent-netty}</b>, Netty's one event loop: the gRPC transport. The stream's
 *       callbacks run on it and only hand work on (pushed assignments go to the reconcile thread,
 *       which also saves them).
 *   <li><b>{@code drover-timer}</b>, a virtual thread: periodic ticks that only start work on other
 *       threads (health probes, metrics samples, certificate renewal); a late tick delays no
 *       heartbeat.
 *   <li><b>{@code drover-reconcile}</b>, one virtual thread: deployments and removals, one at a time
 *       ({@code reconcile.Reconciler}); it may wait minutes (a {@code pip install}), and nothing
 *       else waits for it.
 *   <li><b>a virtual thread for each piece</b> of blocking work that must not hold anything else up: a
 *       health probe ({@code drover-probe-N}; at most one per app, apps in parallel, each with its
 *       own timeout), a metrics sample ({@code drover-metrics-N}; one at a time, a late one
 *       dropped), a certificate renewal ({@code drover-renewal-N}), and the reading of a host
 *       command's output ({@code drover-command-output}; see {@code host.HostCommand}).
 * </ul>
 *
 * Every wait has a deadline: host commands (killed with their descendants when it passes), HTTP
 * probes (the whole exchange), supervisord's XML-RPC calls, gRPC calls. A lock that a virtual thread
 * may hold while it waits on the host is a {@link java.util.concurrent.locks.ReentrantLock}, not a
 * monitor, so that on JDK 21 to 23 it does not pin a carrier thread.
 */
package io.drover.agent;
