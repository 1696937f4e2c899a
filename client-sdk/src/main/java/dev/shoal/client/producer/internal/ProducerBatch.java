package dev.shoal.client.producer.internal;

import dev.shoal.storage.api.NewMessage;
import dev.shoal.storage.api.ProducedMessage;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Messages for one {@link BatchKey}, sent together in one produce call. Appended to under the
 * accumulator's lock; once drained, touched only by the thread delivering it.
 */
public final class ProducerBatch {

    private final BatchKey key;
    private final long createdAtMillis;
    private final List<PendingMessage> messages = new ArrayList<>();
    private long bytes;
    private long reservedBytes;
    private Long sequence;
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    ProducerBatch(BatchKey key, long createdAtMillis) {
        this.key = key;
        this.createdAtMillis = createdAtMillis;
    }

    public BatchKey key() {
        return key;
    }

    public long createdAtMillis() {
        return createdAtMillis;
    }

    /** Adds {@code m} unless the batch would then hold more than the limits; an empty batch takes any message. */
    boolean tryAppend(PendingMessage m, int maxCount, long maxBytes) {
        if (!messages.isEmpty() && (messages.size() >= maxCount || bytes + m.bytes() > maxBytes)) {
            return false;
        }
        messages.add(m);
        bytes += m.bytes();
        reservedBytes += m.bytes();
        return true;
    }

    boolean isFull(int maxCount, long maxBytes) {
        return messages.size() >= maxCount || bytes >= maxBytes;
    }

    /** When the oldest message's delivery timeout runs out. */
    public long deadlineMillis(long deliveryTimeoutMillis) {
        return messages.getFirst().sentAtMillis() + deliveryTimeoutMillis;
    }

    public int size() {
        return messages.size();
    }

    public List<PendingMessage> messages() {
        return List.copyOf(messages);
    }

    public List<NewMessage> newMessages() {
        return messages.stream().map(PendingMessage::message).toList();
    }

    /** Bytes reserved from the buffer memory for this batch, messages removed after a refusal included. */
    public long reservedBytes() {
        return reservedBytes;
    }

    /** The idempotent producer's sequence, assigned on the first attempt and kept for every retry. */
    public Long sequence() {
        return sequence;
    }

    void sequence(long v) {
        this.sequence = v;
    }

    /** Takes out one message (the engine refused it), so the others can go without it. */
    PendingMessage remove(int index) {
        PendingMessage m = messages.remove(index);
        bytes -= m.bytes();
        return m;
    }

    void complete(List<ProducedMessage> produced) {
        if (produced.size() != messages.size()) {
            fail(new IllegalStateException("the produce answered " + produced.size() + " results for " + messages.size() + " messages"));
            return;
        }
        for (int i = 0; i < produced.size(); i++) {
            messages.get(i).future().complete(produced.get(i).id());
        }
    }

    void fail(Throwable error) {
        for (PendingMessage m : messages) {
            m.future().completeExceptionally(error);
        }
    }

    /** Completes when every message's future has completed, successfully or not. */
    public CompletableFuture<Void> done() {
        return done;
    }

    void markDone() {
        done.complete(null);
    }
}
