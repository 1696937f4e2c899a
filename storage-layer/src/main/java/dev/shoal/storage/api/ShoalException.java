package dev.shoal.storage.api;

/**
 * The root of Shoal's errors. There are few kinds, and each tells the caller what to do:
 * fix the call ({@link InvalidRequestException}), retry ({@link RetryableException}),
 * look the thing up again ({@link NotFoundException}, {@link ConflictException}) or
 * reconcile ({@link CommitStateUnknownException}). Each kind is retried in exactly one layer.
 */
public abstract class ShoalException extends RuntimeException {

    protected ShoalException(String message) {
        super(message);
    }

    protected ShoalException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A stable, machine-readable code, for example {@code InvalidRequest}. */
    public abstract String code();
}
