/**
 * Whether running instances answer: one HTTP GET with a deadline over the whole exchange ({@code
 * HttpProbe}), and the monitor that probes every running app in parallel, one probe per app at a
 * time, and reports flips of its healthy flag ({@code HealthMonitor}, {@code ProbeState}). Uses
 * nothing else of the agent; the threads it probes on are handed to it.
 */
package io.drover.agent.health;
