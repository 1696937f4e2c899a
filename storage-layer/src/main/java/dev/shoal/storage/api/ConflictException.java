package dev.shoal.storage.api;

/**
 * The call conflicts with the current state (a queue that already exists with other
 * settings, a receipt whose lease was superseded). Nothing was written; read the state
 * again before deciding what to do.
 */
public class ConflictException extends ShoalException {

    private final String code;

    public ConflictException(String code, String message) {
        super(message);
        this.code = code;
    }

    @Override
    public String code() {
        return code;
    }
}
