package dev.shoal.storage.faults;

import dev.shoal.storage.api.CommitStateUnknownException;
import dev.shoal.storage.api.MessageId;
import dev.shoal.storage.api.ReceivedMessage;
import dev.shoal.storage.api.ShoalException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What a client of Shoal relies on, checked from the client's side while faults are injected
 * below: every call is recorded with the wall-clock times it started and ended, and a violation
 * is only reported when no interleaving of the store's real timing could explain it.
 * <ul>
 *   <li>no message is leased to two consumers at once: a delivery that completed before an
 *       earlier lease of the same message could have ended, while its holder had not yet tried
 *       to release it;</li>
 *   <li>an acked message is never delivered again;</li>
 *   <li>in a FIFO group, a message is delivered only once every earlier one was acked (or
 *       an ack of it was at least attempted: its answer may have been lost);</li>
 *   <li>no message was committed twice, unless its produce was answered CommitStateUnknown;</li>
 *   <li>no acked message is lost: everything produced is eventually acked;</li>
 *   <li>every error a client sees is one of Shoal's kinds, with a short, clear message.</li>
 * </ul>
 * Thread-safe.
 */
final class Invariants {

    private final long visibilityMillis;
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final Map<String, Set<MessageId>> idsByBody = new ConcurrentHashMap<>();
    private final Set<String> produced = ConcurrentHashMap.newKeySet();
    private final Set<String> ambiguous = ConcurrentHashMap.newKeySet();
    private final Set<String> acked = ConcurrentHashMap.newKeySet();
    private final Set<String> ackUnanswered = ConcurrentHashMap.newKeySet();
    private final Map<MessageId, List<Delivery>> deliveries = new HashMap<>();
    private final Map<MessageId, Long> ackedAt = new HashMap<>();
    private final Map<String, Integer> ackAttemptedUpTo = new HashMap<>();
    private final Map<String, Long> errorsByKind = new ConcurrentHashMap<>();
    /** Per FIFO group, what happened, for the message of a violation. */
    private final Map<String, List<String>> groupHistory = new HashMap<>();

    Invariants(long visibilityMillis) {
        this.visibilityMillis = visibilityMillis;
    }

    /** One lease, as the client saw it. */
    static final class Delivery {
        final String consumer;
        final long receiveStart;
        volatile long releaseAttempt = Long.MAX_VALUE;

        Delivery(String consumer, long receiveStart) {
            this.consumer = consumer;
            this.receiveStart = receiveStart;
        }
    }

    void produced(List<String> bodies) {
        produced.addAll(bodies);
        synchronized (this) {
            for (String b : bodies) if (b.contains("g") && !b.startsWith("m-") && !b.startsWith("poison")) {
                history(b.substring(0, b.lastIndexOf('-')), "produced " + b + " at " + System.currentTimeMillis());
            }
        }
    }

    synchronized void produceFailed(List<String> bodies, Throwable e) {
        for (String b : bodies) if (!b.startsWith("m-") && !b.startsWith("poison")) {
            history(b.substring(0, b.lastIndexOf('-')), "produce of " + b + " failed: " + e);
        }
    }

    private void history(String group, String event) {
        List<String> h = groupHistory.computeIfAbsent(group, g -> new ArrayList<>());
        if (h.size() < 40) h.add(event);
    }

    void produceOutcomeUnknown(List<String> bodies) {
        ambiguous.addAll(bodies);
    }

    /** A receive that started at {@code start} and answered at {@code end}. */
    synchronized List<Delivery> received(String consumer, List<ReceivedMessage> got, long start, long end) {
        List<Delivery> out = new ArrayList<>();
        Map<String, Integer> lastSeqInBatch = new HashMap<>();
        for (ReceivedMessage m : got) {
            idsByBody.computeIfAbsent(m.bodyAsString(), b -> ConcurrentHashMap.newKeySet()).add(m.id());
            Long ack = ackedAt.get(m.id());
            if (ack != null && ack < start) {
                violations.add("acked message " + m.id() + " (" + m.bodyAsString() + ") delivered again to " + consumer);
            }
            for (Delivery d : deliveries.getOrDefault(m.id(), List.of())) {
                long leaseEndsNoEarlierThan = d.receiveStart + visibilityMillis;
                if (end < Math.min(leaseEndsNoEarlierThan, d.releaseAttempt)) {
                    violations.add("message " + m.id() + " leased to " + consumer + " while " + d.consumer + " held it");
                }
            }
            if (m.groupId() != null) {
                int seq = sequence(m.bodyAsString());
                // the next after the last whose ack was attempted, or the next after its predecessor in this same receive
                int allowed = Math.max(ackAttemptedUpTo.getOrDefault(m.groupId(), -1), lastSeqInBatch.getOrDefault(m.groupId(), -1)) + 1;
                history(m.groupId(), consumer + " got " + seq + " (" + m.id() + ", count " + m.receiveCount() + ") in [" + start + "," + end + "]");
                if (seq > allowed) {
                    violations.add("group " + m.groupId() + ": message " + seq + " delivered before " + (seq - 1) + " was acked; "
                            + groupHistory.get(m.groupId()));
                }
                Integer previous = lastSeqInBatch.put(m.groupId(), seq);
                if (previous != null && previous >= seq) {
                    violations.add("group " + m.groupId() + ": " + seq + " after " + previous + " in one receive");
                }
            }
            Delivery d = new Delivery(consumer + "@" + start, start);
            deliveries.computeIfAbsent(m.id(), k -> new ArrayList<>()).add(d);
            out.add(d);
        }
        return out;
    }

    /** An ack or nack of {@code m} is about to be sent: from now on its holder may have released it. */
    synchronized void releasing(ReceivedMessage m, Delivery d, long now, boolean ack) {
        d.releaseAttempt = Math.min(d.releaseAttempt, now);
        if (ack && m.groupId() != null) {
            ackAttemptedUpTo.merge(m.groupId(), sequence(m.bodyAsString()), Math::max);
            history(m.groupId(), d.consumer + " acks " + sequence(m.bodyAsString()) + " at " + now);
        }
    }

    synchronized void ackSucceeded(ReceivedMessage m, long end) {
        ackedAt.merge(m.id(), end, Math::min);
        acked.add(m.bodyAsString());
    }

    /** An ack call failed as a whole: it may have landed. */
    void ackOutcomeUnknown(List<ReceivedMessage> messages) {
        messages.forEach(m -> ackUnanswered.add(m.bodyAsString()));
    }

    /** Every failure a client saw, of a call or of one entry of a batch. */
    void error(Throwable e) {
        errorsByKind.merge(e instanceof ShoalException s ? s.code() : e.getClass().getSimpleName(), 1L, Long::sum);
        if (!(e instanceof ShoalException)) {
            violations.add("not one of Shoal's kinds: " + e);
            return;
        }
        String message = e.getMessage();
        if (message == null || message.isBlank() || message.length() > 1_000) {
            violations.add("unclear message for " + ((ShoalException) e).code() + ": " + message);
        }
        if (e instanceof CommitStateUnknownException) {
            return; // recorded by the producer with produceOutcomeUnknown
        }
    }

    /**
     * Checks the end state; {@code expectedAcked} are the bodies that must have been acked. The
     * caller has checked that nothing is left in the queue: a message whose last ack went
     * unanswered and that never came back was acked by that call.
     */
    List<String> finish(Set<String> expectedAcked) {
        List<String> all = new ArrayList<>(violations);
        for (String body : expectedAcked) {
            if (!acked.contains(body) && !ackUnanswered.contains(body)) all.add("produced and never acked: " + body);
        }
        idsByBody.forEach((body, ids) -> {
            if (ids.size() > 1 && !ambiguous.contains(body)) all.add("committed twice: " + body + " as " + ids);
        });
        return all;
    }

    Set<String> produced() {
        return new HashSet<>(produced);
    }

    Set<String> acked() {
        return new HashSet<>(acked);
    }

    Map<String, Long> errorsByKind() {
        return Map.copyOf(errorsByKind);
    }

    private static int sequence(String body) {
        return Integer.parseInt(body.substring(body.lastIndexOf('-') + 1));
    }
}
