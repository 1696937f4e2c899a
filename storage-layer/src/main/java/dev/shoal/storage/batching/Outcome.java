package dev.shoal.storage.batching;

/** What one item of a batch came to: a value, or the exception its caller gets. */
public sealed interface Outcome<R> {

    /** The value, or the failure rethrown (unchecked failures as they are). */
    R get();

    static <R> Outcome<R> of(R value) {
        return new Value<>(value);
    }

    static <R> Outcome<R> failed(Throwable failure) {
        return new Failure<>(failure);
    }

    record Value<R>(R value) implements Outcome<R> {
        public R get() {
            return value;
        }
    }

    record Failure<R>(Throwable failure) implements Outcome<R> {
        public R get() {
            if (failure instanceof RuntimeException e) throw e;
            if (failure instanceof Error e) throw e;
            throw new IllegalStateException(failure);
        }
    }
}
