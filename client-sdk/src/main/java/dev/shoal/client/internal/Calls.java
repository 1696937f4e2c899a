package dev.shoal.client.internal;

import dev.shoal.client.RetryOptions;
import dev.shoal.client.ShoalMetrics;
import dev.shoal.storage.api.CommitStateUnknownException;
import dev.shoal.storage.api.RetryableException;
import dev.shoal.storage.api.Sleeper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * The one place a client call is retried and measured. Retries only passing failures
 * ({@link RetryableException}, and {@link CommitStateUnknownException} when the call is
 * idempotent), with exponential backoff and full jitter; every other failure goes straight to
 * the caller. Waits go through a {@link Sleeper} so tests can skip them.
 */
public final class Calls {

    private static final Logger LOG = LoggerFactory.getLogger(Calls.class);

    private final RetryOptions retry;
    private final ShoalMetrics metrics;
    private final Sleeper sleeper;

    public Calls(RetryOptions retry, ShoalMetrics metrics, Sleeper sleeper) {
        this.retry = retry;
        this.metrics = metrics;
        this.sleeper = sleeper;
    }

    public ShoalMetrics metrics() {
        return metrics;
    }

    public Calls withRetry(RetryOptions other) {
        return new Calls(other, metrics, sleeper);
    }

    /**
     * Runs {@code call}, retrying as described above.
     *
     * @param idempotent whether repeating a call whose outcome is unknown is harmless
     */
    public <T> T call(String operation, String queue, boolean idempotent, Supplier<T> call) {
        long started = System.nanoTime();
        for (int attempt = 1; ; attempt++) {
            try {
                T result = call.get();
                metrics.latency(operation, queue, Duration.ofNanos(System.nanoTime() - started));
                return result;
            } catch (RuntimeException e) {
                if (attempt >= retry.maxAttempts() || !retryable(e, idempotent) || Thread.currentThread().isInterrupted()) {
                    metrics.latency(operation, queue, Duration.ofNanos(System.nanoTime() - started));
                    metrics.failed(operation, queue, e);
                    throw e;
                }
                Duration wait = jitter(retry.ceiling(attempt));
                LOG.debug("{} on {} failed (attempt {} of {}), retrying in {} ms: {}", operation, queue, attempt,
                        retry.maxAttempts(), wait.toMillis(), e.toString());
                metrics.retried(operation, queue, attempt, e);
                sleeper.sleep(wait);
            }
        }
    }

    public void run(String operation, String queue, Runnable call) {
        call(operation, queue, true, () -> {
            call.run();
            return null;
        });
    }

    /** Whether a failure is worth another attempt of the same call. */
    public static boolean retryable(Throwable e, boolean idempotent) {
        return e instanceof RetryableException || (idempotent && e instanceof CommitStateUnknownException);
    }

    /** Full jitter: uniformly between 0 and the ceiling. */
    public static Duration jitter(Duration ceiling) {
        long max = ceiling.toMillis();
        return max <= 0 ? Duration.ZERO : Duration.ofMillis(ThreadLocalRandom.current().nextLong(max + 1));
    }
}
