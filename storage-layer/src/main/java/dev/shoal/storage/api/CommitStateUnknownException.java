package dev.shoal.storage.api;

/**
 * A commit's outcome could not be determined (the store did not answer and reading back
 * did not settle it). The messages may or may not be in the log. Nothing is cleaned up;
 * the caller reconciles, typically by retrying with the same idempotency key.
 */
public class CommitStateUnknownException extends ShoalException {

    public CommitStateUnknownException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public String code() {
        return "CommitStateUnknown";
    }
}
