package dev.shoal.client.producer;

/** The producer is closed: a send after {@code close()}, or a message still pending when a bounded close ran out of time. */
public class ProducerClosedException extends IllegalStateException {

    public ProducerClosedException(String message) {
        super(message);
    }
}
