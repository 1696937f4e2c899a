package dev.shoal.client;

import java.time.Duration;

/**
 * Hooks for metrics: implement the ones you need (every method has a no-op default) and pass the
 * object to {@link ShoalClient.Builder#metrics}; producers and consumers built on that client
 * report through it too. Called on the SDK's threads, so implementations must be thread-safe
 * and quick (increment a counter, record a timer).
 *
 * <p>Operation names are the native API's: {@code produce}, {@code receive}, {@code ack},
 * {@code nack}, {@code visibility}, {@code createQueue}, ...; plus {@code producer.delivery}
 * (a message's time from {@code send} to its acknowledgement) and {@code consumer.handler}
 * (a handler's run).
 */
public interface ShoalMetrics {

    /** Reports nothing. */
    ShoalMetrics NONE = new ShoalMetrics() {
    };

    /** {@code messages} messages ({@code bytes} of bodies) were produced to {@code queue} and committed. */
    default void sent(String queue, int messages, long bytes) {
    }

    /** A receive leased {@code messages} messages. */
    default void received(String queue, String subscription, int messages) {
    }

    /** {@code messages} messages were acknowledged. */
    default void acked(String queue, String subscription, int messages) {
    }

    /** A call, a message's delivery or a handler failed (after any retries). */
    default void failed(String operation, String queue, Throwable error) {
    }

    /** A call is retried after a passing failure; {@code attempt} is the attempt that failed (1 = the first). */
    default void retried(String operation, String queue, int attempt, Throwable error) {
    }

    /** How long a call took (retries and backoff included), a delivery or a handler run. */
    default void latency(String operation, String queue, Duration latency) {
    }
}
