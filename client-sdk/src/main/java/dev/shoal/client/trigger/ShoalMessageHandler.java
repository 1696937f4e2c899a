package dev.shoal.client.trigger;

/**
 * Handles one message of a push event. Returning normally means the message was handled (it
 * is acked); throwing means it failed (it is retried after the subscription's backoff, and
 * dead-lettered after maxReceiveCount deliveries).
 */
@FunctionalInterface
public interface ShoalMessageHandler {

    void handle(TriggerMessage message) throws Exception;
}
