/**
 * Sandbox mode: a supervisord and an nginx the agent starts, owns and adopts under one directory
 * ({@code Sandbox}). Uses {@code agent.nginx}, {@code agent.supervisor} and {@code agent.host}.
 */
package io.drover.agent.sandbox;
