package dev.shoal.functions.api;

/**
 * A request the native API refuses before calling the service: malformed JSON, an unknown
 * field, a missing route, a body over the payload limit. Carries what the error body says.
 *
 * @see dev.shoal.functions.api.v1.NativeErrors
 */
public final class ApiException extends RuntimeException {

    private final int status;
    private final String code;
    private final String field;

    public ApiException(int status, String code, String field, String message) {
        super(message);
        this.status = status;
        this.code = code;
        this.field = field;
    }

    public static ApiException invalid(String field, String message) {
        return new ApiException(400, "InvalidRequest", field, field + ": " + message);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** The request field at fault, or null when the whole request is. */
    public String field() {
        return field;
    }
}
