package dev.shoal.storage.dynamodb;

import dev.shoal.storage.StoreErrors;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a conditional write did: it was {@link Written}; or it {@link LostRace lost a race} to
 * another writer (its condition failed: the winner's write is there, and is returned when
 * DynamoDB said what it is); or it {@link Conflicted collided} with another transaction on the
 * same items, and nothing is known about the winner. A lost race is an answer, not an error:
 * the caller reads again and retries through {@link LostRaces}.
 *
 * <p>Everything else is not an outcome but one of Shoal's errors ({@link StoreErrors#translate}):
 * throttling, 5xx and no answer become {@code ServiceUnavailable}, because the SDK has already
 * retried them and retrying again at once would only add load (each kind of failure is retried
 * in exactly one layer; see ADR 0015).
 *
 * @param <T> what the winner is decoded to (a chunk, a queue, ...)
 */
public sealed interface WriteOutcome<T> {

    /** The write landed. */
    record Written<T>() implements WriteOutcome<T> {
    }

    /** Another writer got there first; {@code winner} is what it wrote, when the store said. */
    record LostRace<T>(Optional<T> winner) implements WriteOutcome<T> {
    }

    /** Another transaction on the same items ran at the same time; neither condition was checked. */
    record Conflicted<T>() implements WriteOutcome<T> {
    }

    static <T> WriteOutcome<T> written() {
        return new Written<>();
    }

    static <T> WriteOutcome<T> lostRace(Optional<T> winner) {
        return new LostRace<>(winner);
    }

    default boolean landed() {
        return this instanceof Written;
    }

    /**
     * The outcome of a write that failed with {@code e}: a lost race, with the winner decoded
     * from the item DynamoDB returned (the single put's, or the first failed transaction item's)
     * when there is one; or a conflict.
     *
     * @param what the write, for the message of anything that is not a lost race
     * @throws RuntimeException Shoal's kind of {@code e} when it is not a lost race
     */
    static <T> WriteOutcome<T> ofFailure(SdkException e, String what, Function<Map<String, AttributeValue>, T> winner) {
        return switch (StoreErrors.classify(e)) {
            case CONDITION_FAILED -> lostRace(returnedItem(e).map(winner));
            case TRANSACTION_CONFLICT -> new Conflicted<>();
            default -> throw StoreErrors.translate(e, what);
        };
    }

    private static Optional<Map<String, AttributeValue>> returnedItem(SdkException e) {
        if (e instanceof ConditionalCheckFailedException c && c.hasItem() && !c.item().isEmpty()) {
            return Optional.of(c.item());
        }
        if (e instanceof TransactionCanceledException t && t.hasCancellationReasons()) {
            return t.cancellationReasons().stream()
                    .filter(r -> "ConditionalCheckFailed".equals(r.code()) && r.item() != null && !r.item().isEmpty())
                    .map(CancellationReason::item).findFirst();
        }
        return Optional.empty();
    }
}
