package dev.shoal.storage.api;

/**
 * A passing condition (contention that outlasted the commit loop's retries, throttling, an
 * unavailable store). Nothing acknowledged was lost; the caller may retry the same call.
 */
public class RetryableException extends ShoalException {

    public RetryableException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public String code() {
        return "ServiceUnavailable";
    }
}
