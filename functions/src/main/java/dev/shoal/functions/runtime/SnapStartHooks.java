package dev.shoal.functions.runtime;

import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a function does around a SnapStart snapshot (CRaC hooks, which Lambda calls; a JVM
 * without CRaC never does, and nothing changes):
 * <ul>
 *   <li>before the snapshot, {@code prime} runs the hot path once (routing, JSON, the SDK's
 *       marshalling, a DynamoDB round trip), so that restored copies start with those classes
 *       loaded and initialised instead of paying for them on their first request;</li>
 *   <li>after a restore, {@code afterRestore} expires what must not be trusted from the
 *       snapshot: the secrets are re-read on first use, so a rotation made since the snapshot
 *       reaches the copy. The SDK's HTTP client opens new connections by itself: connections
 *       from before the snapshot fail and are retried by the SDK.</li>
 * </ul>
 * Priming must never stop a snapshot: its failure is logged.
 *
 * <p>Randomness: ids and lease tokens come from {@code SecureRandom} (NativePRNG on Linux, which
 * mixes /dev/urandom into every call, so restored copies do not repeat each other).
 * ThreadLocalRandom picks partitions and backoff jitter only; restored copies may share its
 * sequence, which spreads load less evenly for a moment and decides nothing.
 */
public final class SnapStartHooks implements Resource {

    private static final Logger LOG = LoggerFactory.getLogger(SnapStartHooks.class);
    /** CRaC keeps weak references to resources: the registered hooks live here. */
    private static final List<SnapStartHooks> REGISTERED = new ArrayList<>();

    private final Runnable prime;
    private final Runnable afterRestore;

    public SnapStartHooks(Runnable prime, Runnable afterRestore) {
        this.prime = Objects.requireNonNull(prime, "prime");
        this.afterRestore = Objects.requireNonNull(afterRestore, "afterRestore");
    }

    /** Registers with the JVM's global CRaC context (a no-op context without CRaC). */
    public static SnapStartHooks register(Runnable prime, Runnable afterRestore) {
        SnapStartHooks hooks = new SnapStartHooks(prime, afterRestore);
        synchronized (REGISTERED) {
            REGISTERED.add(hooks);
        }
        Core.getGlobalContext().register(hooks);
        return hooks;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        try {
            prime.run();
        } catch (RuntimeException e) {
            LOG.warn("priming before the snapshot failed; restored copies start colder: {}", e.toString());
        }
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        afterRestore.run();
    }
}
