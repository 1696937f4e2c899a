package dev.shoal.client.consumer.internal;

import dev.shoal.storage.api.ReceivedMessage;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The leases this consumer holds, by receipt: what heartbeats extend and what shutdown releases. */
public final class LeaseTracker {

    private final Map<String, Lease> leases = new ConcurrentHashMap<>();

    public Lease add(ReceivedMessage message, long nowMillis, long visibilityMillis) {
        Lease lease = new Lease(message, nowMillis, nowMillis + visibilityMillis);
        leases.put(message.receipt(), lease);
        return lease;
    }

    public void remove(Lease lease) {
        leases.remove(lease.receipt(), lease);
    }

    public int size() {
        return leases.size();
    }

    /**
     * Leases to extend at {@code now}: held, not lost, ending within {@code marginMillis}, and
     * received less than {@code maxExtensionMillis} ago (past that, a stuck handler's message
     * is let go so that another consumer can try it).
     */
    public List<Lease> dueForExtension(long now, long marginMillis, long maxExtensionMillis) {
        return leases.values().stream()
                .filter(l -> l.state() == Lease.State.WAITING || l.state() == Lease.State.RUNNING)
                .filter(l -> !l.lost() && l.leasedUntilMillis() - now <= marginMillis)
                .filter(l -> now - l.receivedAtMillis() < maxExtensionMillis)
                .toList();
    }

    public List<Lease> all() {
        return List.copyOf(leases.values());
    }
}
