package dev.shoal.storage.api;

/**
 * The call itself is wrong: a field is missing, malformed or out of range. Nothing was
 * written. The message names the field and what is allowed; retrying the same call fails
 * the same way.
 */
public class InvalidRequestException extends ShoalException {

    private final String field;

    public InvalidRequestException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    /** The request field that was wrong, for example {@code visibilityTimeout}. */
    public String field() {
        return field;
    }

    @Override
    public String code() {
        return "InvalidRequest";
    }
}
