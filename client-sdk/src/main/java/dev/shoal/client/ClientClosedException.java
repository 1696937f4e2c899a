package dev.shoal.client;

/**
 * The {@link ShoalClient} was closed: nothing more can be done with it. Consumers stop on this,
 * and only on this; any other failure of a receive is retried after a backoff.
 */
public class ClientClosedException extends IllegalStateException {

    public ClientClosedException(String message) {
        super(message);
    }
}
