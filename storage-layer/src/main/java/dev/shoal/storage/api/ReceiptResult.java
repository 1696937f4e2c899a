package dev.shoal.storage.api;

import java.util.Optional;

/**
 * The outcome of one entry of an ack, nack or change-visibility batch: success, or the error
 * for that receipt alone (the other entries are not affected).
 */
public record ReceiptResult(String receipt, ShoalException error) {

    public static ReceiptResult ok(String receipt) {
        return new ReceiptResult(receipt, null);
    }

    public static ReceiptResult failed(String receipt, ShoalException error) {
        return new ReceiptResult(receipt, error);
    }

    public boolean succeeded() {
        return error == null;
    }

    public Optional<ShoalException> failure() {
        return Optional.ofNullable(error);
    }
}
