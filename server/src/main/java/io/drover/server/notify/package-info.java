/**
 * Notifications for operators without Prometheus: the events the leader finds in the fleet's
 * figures ({@link io.drover.server.notify.EventDetector}: rollout failed or reverted, host down or
 * up, crash loop) and their delivery to webhooks ({@link io.drover.server.notify.Notifier}, {@link
 * io.drover.server.notify.Webhooks}). Uses {@code store}, {@code leader} and {@code secrets}.
 */
package io.drover.server.notify;
