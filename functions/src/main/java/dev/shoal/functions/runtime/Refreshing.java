package dev.shoal.functions.runtime;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A value read from outside (the deployment's secrets) that a long-lived function copy re-reads:
 * once it is older than {@code maxAge}, so that a rotation reaches every running copy within
 * that time, and on first use after {@link #expire()}, which a SnapStart restore calls (a
 * restored copy may come from a snapshot taken days before). A failed re-read keeps the value
 * it has and tries again after {@code retryAfterFailure}: a Secrets Manager hiccup must not
 * stop a function that has working secrets. The first read's failure is thrown.
 *
 * @param <T> the value
 */
public final class Refreshing<T> implements Supplier<T> {

    private static final Logger LOG = LoggerFactory.getLogger(Refreshing.class);

    private final Supplier<T> read;
    private final Clock clock;
    private final Duration maxAge;
    private final Duration retryAfterFailure;
    private T value;
    private Instant nextRead;

    public Refreshing(Supplier<T> read, Clock clock, Duration maxAge, Duration retryAfterFailure) {
        this.read = Objects.requireNonNull(read, "read");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.maxAge = requirePositive("maxAge", maxAge);
        this.retryAfterFailure = requirePositive("retryAfterFailure", retryAfterFailure);
    }

    /** The value, read now if it never was, is older than maxAge, or was expired. */
    @Override
    public synchronized T get() {
        Instant now = clock.instant();
        if (value == null) {
            value = Objects.requireNonNull(read.get(), "read returned null");
            nextRead = now.plus(maxAge);
        } else if (!now.isBefore(nextRead)) {
            try {
                value = Objects.requireNonNull(read.get(), "read returned null");
                nextRead = now.plus(maxAge);
            } catch (RuntimeException e) {
                nextRead = now.plus(retryAfterFailure);
                LOG.warn("could not re-read; keeping the value read before, next try in {}: {}", retryAfterFailure, e.toString());
            }
        }
        return value;
    }

    /** The next {@link #get()} reads again. */
    public synchronized void expire() {
        nextRead = Instant.MIN;
    }

    private static Duration requirePositive(String name, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + d);
        }
        return d;
    }
}
