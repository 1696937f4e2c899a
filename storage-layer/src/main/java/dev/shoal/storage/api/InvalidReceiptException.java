package dev.shoal.storage.api;

/** A receipt handle that is malformed, altered, forged, or names another queue or subscription. */
public class InvalidReceiptException extends InvalidRequestException {

    public InvalidReceiptException(String message) {
        super("receipt", message);
    }

    @Override
    public String code() {
        return "ReceiptHandleIsInvalid";
    }
}
