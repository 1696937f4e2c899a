package dev.shoal.storage;

import dev.shoal.storage.api.RetryableException;
import dev.shoal.storage.api.ShoalException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The error boundary between the AWS SDK and Shoal: what a DynamoDB or S3 failure means, and
 * which of Shoal's kinds ({@link ShoalException}) it becomes. Everything that can fail in the
 * store goes through {@link #classify}, so direct mode and HTTP agree on what is retryable.
 *
 * <p>The SDK has already retried throttling, 5xx and connection failures when an exception
 * reaches us (each in one layer, as the design says), so what is left is final for this call:
 * <ul>
 *   <li>{@link Kind#THROTTLED}: the store refused the work; nothing was written by that attempt.
 *       Becomes {@link RetryableException} ({@code ServiceUnavailable}).</li>
 *   <li>{@link Kind#SERVER_ERROR} (5xx) and {@link Kind#NO_ANSWER} (timeouts, lost responses,
 *       connection failures): the write may or may not have landed. Becomes
 *       {@code ServiceUnavailable} where the call is idempotent; commits read back first.</li>
 *   <li>{@link Kind#CONDITION_FAILED} and {@link Kind#TRANSACTION_CONFLICT}: a lost race;
 *       the caller reads again and retries with backoff.</li>
 *   <li>{@link Kind#CANCELLED}: the caller's thread was interrupted or the call aborted.</li>
 *   <li>{@link Kind#OTHER}: a request the store rejects (validation, access): a bug or a
 *       misconfiguration, left as it is so it surfaces as an internal error.</li>
 * </ul>
 * Because the SDK retries, one call may have had several attempts; an earlier one may have
 * timed out or got a 500 after landing, and the final exception is then a throttle. So
 * {@link #mayHaveApplied} looks at the earlier attempts too (the SDK attaches them as
 * suppressed exceptions).
 */
public final class StoreErrors {

    /** What a store failure means for the caller. */
    public enum Kind { THROTTLED, SERVER_ERROR, NO_ANSWER, CONDITION_FAILED, TRANSACTION_CONFLICT, CANCELLED, OTHER }

    private static final Set<String> THROTTLING_CODES = Set.of(
            "ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded",
            "Throttling", "ThrottledException", "SlowDown", "TooManyRequestsException", "RequestThrottled",
            "RequestThrottledException", "LimitExceededException", "ThrottlingError");
    /** Cancellation reason codes of a transaction that the store refused for load, not for a condition. */
    private static final Set<String> THROTTLING_REASONS = Set.of("ThrottlingError", "ProvisionedThroughputExceeded",
            "RequestLimitExceeded");
    private static final int MAX_MESSAGE = 300;

    private StoreErrors() {
    }

    /** What {@code e} means (see the class comment). */
    public static Kind classify(Throwable e) {
        return switch (e) {
            case ConditionalCheckFailedException c -> Kind.CONDITION_FAILED;
            case TransactionCanceledException t -> classifyCancellation(t.hasCancellationReasons() ? t.cancellationReasons() : List.of());
            case AbortedException a -> Kind.CANCELLED;
            case SdkClientException c -> interrupted(c) ? Kind.CANCELLED : Kind.NO_ANSWER;
            case AwsServiceException s when isThrottling(s) -> Kind.THROTTLED;
            case AwsServiceException s when s.statusCode() >= 500 -> Kind.SERVER_ERROR;
            case AwsServiceException s when "TransactionConflictException".equals(errorCode(s)) -> Kind.TRANSACTION_CONFLICT;
            default -> Kind.OTHER;
        };
    }

    /**
     * A cancelled transaction, by its reasons: any condition that failed makes it a lost race;
     * else a throttled item makes it {@link Kind#THROTTLED}; else another transaction on the
     * same items ({@code TransactionConflict}) made it a conflict.
     */
    static Kind classifyCancellation(List<CancellationReason> reasons) {
        boolean throttled = false;
        boolean conflict = false;
        for (CancellationReason r : reasons) {
            String code = r.code() == null ? "None" : r.code();
            if (code.equals("ConditionalCheckFailed")) return Kind.CONDITION_FAILED;
            if (THROTTLING_REASONS.contains(code)) throttled = true;
            if (code.equals("TransactionConflict")) conflict = true;
        }
        if (throttled) return Kind.THROTTLED;
        if (conflict) return Kind.TRANSACTION_CONFLICT;
        return reasons.isEmpty() ? Kind.TRANSACTION_CONFLICT : Kind.OTHER;
    }

    /** True when some cancellation reason of {@code e} says the store was throttling. */
    public static boolean throttledCancellation(TransactionCanceledException e) {
        return e.hasCancellationReasons() && e.cancellationReasons().stream()
                .anyMatch(r -> r.code() != null && THROTTLING_REASONS.contains(r.code()));
    }

    /**
     * Whether the work of the call that failed with {@code e} may have been done by the store:
     * true when this or any earlier attempt had no answer or a server error.
     */
    public static boolean mayHaveApplied(Throwable e) {
        if (ambiguous(classify(e))) return true;
        for (Throwable earlier : e.getSuppressed()) {
            if (earlier instanceof SdkException && ambiguous(classify(earlier))) return true;
        }
        return false;
    }

    private static boolean ambiguous(Kind kind) {
        return kind == Kind.NO_ANSWER || kind == Kind.SERVER_ERROR || kind == Kind.CANCELLED;
    }

    /** True for kinds that say the store is overloaded or unwell, for which loops stop at once. */
    public static boolean isTransient(Kind kind) {
        return kind == Kind.THROTTLED || kind == Kind.SERVER_ERROR || kind == Kind.NO_ANSWER;
    }

    /**
     * Shoal's kind for a store failure that the caller does not handle itself: a
     * {@link ShoalException} passes through; throttling, 5xx, no answer and cancellation become
     * {@link RetryableException} with a message that says what failed and what to do; lost races
     * that got this far (a loop ran out of attempts) too; anything else is returned as it is.
     *
     * @param what the operation, for the message ("ack", "commit to queue-a#3")
     */
    public static RuntimeException translate(RuntimeException e, String what) {
        if (e instanceof ShoalException) return e;
        if (!(e instanceof SdkException)) return e;
        return switch (classify(e)) {
            case THROTTLED -> new RetryableException("the store is throttling " + what + "; retry after a short wait", e);
            case SERVER_ERROR -> new RetryableException("the store failed " + what + " (" + brief(e) + "); retry", e);
            case NO_ANSWER -> new RetryableException("the store did not answer " + what + " (" + brief(e) + "); retry", e);
            case CANCELLED -> new RetryableException(what + " was interrupted; retry", e);
            case CONDITION_FAILED, TRANSACTION_CONFLICT ->
                    new RetryableException("too much contention on " + what + "; retry", e);
            case OTHER -> e;
        };
    }

    /** Runs {@code call} and {@link #translate translates} what it throws. */
    public static <T> T guard(String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            throw translate(e, what);
        }
    }

    /** Runs {@code call} and {@link #translate translates} what it throws. */
    public static void guard(String what, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            throw translate(e, what);
        }
    }

    private static boolean isThrottling(AwsServiceException e) {
        return e.isThrottlingException() || e.statusCode() == 429 || THROTTLING_CODES.contains(errorCode(e));
    }

    private static String errorCode(AwsServiceException e) {
        return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    }

    private static boolean interrupted(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InterruptedException || t instanceof java.io.InterruptedIOException
                    && !(t instanceof java.net.SocketTimeoutException)) {
                return true;
            }
        }
        return false;
    }

    /** The first line of the SDK's message, bounded: it can carry request ids and long details. */
    private static String brief(Throwable e) {
        String m = String.valueOf(e.getMessage());
        int newline = m.indexOf('\n');
        if (newline >= 0) m = m.substring(0, newline);
        return m.length() > MAX_MESSAGE ? m.substring(0, MAX_MESSAGE) + "..." : m;
    }
}
