package dev.shoal.client.consumer;

import dev.shoal.storage.api.ReceivedMessage;

/**
 * Handles one message. Return normally and the message is acknowledged; throw and it is
 * negatively acknowledged: delivered again after the subscription's retry-policy backoff, and
 * dead-lettered after too many receives. While it runs, the consumer keeps the message's lease
 * alive (heartbeats), so a slow handler is not raced by a redelivery. Called on a virtual
 * thread; blocking is fine. Delivery is at least once: make handling idempotent.
 */
@FunctionalInterface
public interface MessageHandler {

    void handle(ReceivedMessage message) throws Exception;
}
