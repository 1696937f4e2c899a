package dev.shoal.client.producer;

/**
 * A message was not acknowledged within the producer's {@code deliveryTimeout}, retries
 * included; the cause is the last failure, if any. If that failure left the outcome unknown
 * (see {@link dev.shoal.storage.api.CommitStateUnknownException}) the message may still be in the
 * queue; otherwise it was not written. Sending it again is safe on FIFO queues (deduplication).
 */
public class DeliveryTimeoutException extends RuntimeException {

    public DeliveryTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
