package dev.shoal.client.consumer.internal;

import dev.shoal.storage.api.ReceivedMessage;

import java.util.concurrent.atomic.AtomicReference;

/**
 * A received message while this consumer holds it: waiting for a handler (behind its FIFO
 * group, or for a thread), being handled, or done. The state changes by compare-and-set, so a
 * shutdown releasing a waiting lease and a handler starting it cannot both win.
 */
public final class Lease {

    public enum State { WAITING, RUNNING, DONE, RELEASED }

    private final ReceivedMessage message;
    private final long receivedAtMillis;
    private final AtomicReference<State> state = new AtomicReference<>(State.WAITING);
    private volatile long leasedUntilMillis;
    private volatile boolean lost;

    Lease(ReceivedMessage message, long receivedAtMillis, long leasedUntilMillis) {
        this.message = message;
        this.receivedAtMillis = receivedAtMillis;
        this.leasedUntilMillis = leasedUntilMillis;
    }

    public ReceivedMessage message() {
        return message;
    }

    public String receipt() {
        return message.receipt();
    }

    public String group() {
        return message.groupId();
    }

    public long receivedAtMillis() {
        return receivedAtMillis;
    }

    public long leasedUntilMillis() {
        return leasedUntilMillis;
    }

    void extendedTo(long untilMillis) {
        this.leasedUntilMillis = untilMillis;
    }

    /** The lease could not be extended (superseded, or the extension limit passed): an ack may fail, a redelivery may come. */
    boolean lost() {
        return lost;
    }

    void markLost() {
        this.lost = true;
    }

    public State state() {
        return state.get();
    }

    boolean start() {
        return state.compareAndSet(State.WAITING, State.RUNNING);
    }

    boolean release() {
        return state.compareAndSet(State.WAITING, State.RELEASED);
    }

    void finish() {
        state.set(State.DONE);
    }
}
