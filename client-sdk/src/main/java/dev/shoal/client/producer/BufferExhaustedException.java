package dev.shoal.client.producer;

/**
 * {@link ShoalProducer#send} waited {@code maxBlock} for buffer memory and none was freed: the
 * producer holds {@code bufferMemory} bytes of messages not yet acknowledged, because Shoal is
 * slower than the sends (or unreachable). Nothing was enqueued. Slow down, raise
 * {@code bufferMemory} or {@code maxBlock}, or look at why deliveries are slow.
 */
public class BufferExhaustedException extends RuntimeException {

    public BufferExhaustedException(String message) {
        super(message);
    }
}
