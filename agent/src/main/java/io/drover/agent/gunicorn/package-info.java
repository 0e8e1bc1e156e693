/**
 * Gunicorn's configuration file for one instance ({@code GunicornConfig}): port, workers, release,
 * secrets. Pure rendering; uses nothing else of the agent.
 */
package io.drover.agent.gunicorn;
