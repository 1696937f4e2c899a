package dev.shoal.functions.runtime;

import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Something built from a source value (the API router from the deployment's secrets), rebuilt
 * only when the source value changes, so a secret rotation swaps the router and an unchanged
 * re-read costs nothing.
 *
 * @param <S> the source value, compared with {@code equals}
 * @param <T> what is built from it
 */
public final class Derived<S, T> implements Supplier<T> {

    private final Supplier<S> source;
    private final Function<S, T> build;
    private S builtFrom;
    private T built;

    public Derived(Supplier<S> source, Function<S, T> build) {
        this.source = Objects.requireNonNull(source, "source");
        this.build = Objects.requireNonNull(build, "build");
    }

    @Override
    public synchronized T get() {
        S s = source.get();
        if (built == null || !s.equals(builtFrom)) {
            built = Objects.requireNonNull(build.apply(s), "build returned null");
            builtFrom = s;
        }
        return built;
    }
}
