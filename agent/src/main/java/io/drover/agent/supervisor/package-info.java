/**
 * The Supervisor the agent drives: an app's program section ({@code SupervisorProgram}), adding and
 * removing programs ({@code Supervisor}) through supervisord's XML-RPC interface on its unix socket
 * with a deadline per call ({@code SupervisorRpc}, {@code XmlRpc}), and where that socket is ({@code
 * SupervisordSocket}). Uses {@code agent.host} and {@code io.drover.spec}.
 */
package io.drover.agent.supervisor;
