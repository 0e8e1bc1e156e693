/**
 * What the agent remembers across restarts: the last assignments and the instances running ({@code
 * LocalState}, {@code RunningInstance}), and the hash that tells whether a running instance runs a
 * given spec ({@code SpecHash}). Uses {@code agent.host} and the wire API.
 */
package io.drover.agent.state;
