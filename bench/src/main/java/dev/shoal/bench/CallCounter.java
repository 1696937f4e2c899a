package dev.shoal.bench;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts requests by operation and failures by kind, next to the {@link
 * dev.shoal.storage.metering.BillingMeter}: the meter says what a run costs, this says why
 * (how many conditional writes lost, how many transactions were cancelled and for what reason).
 */
final class CallCounter implements ExecutionInterceptor {

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        increment(operation(attributes));
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        String op = operation(attributes);
        increment(op);
        Throwable failure = context.exception();
        String kind = failure.getClass().getSimpleName();
        if (failure instanceof TransactionCanceledException cancelled && cancelled.hasCancellationReasons()) {
            // the first non-None reason says why: ConditionalCheckFailed (lost the race) or TransactionConflict
            kind = cancelled.cancellationReasons().stream().map(CancellationReason::code)
                    .filter(c -> c != null && !"None".equals(c)).findFirst().orElse(kind);
        }
        increment(op + "!" + kind);
    }

    private static String operation(ExecutionAttributes attributes) {
        return attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
    }

    private void increment(String key) {
        counts.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    /** Counts so far: {@code Operation} for calls, {@code Operation!Failure} for failed ones. */
    Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    static Map<String, Long> minus(Map<String, Long> later, Map<String, Long> earlier) {
        Map<String, Long> out = new TreeMap<>(later);
        earlier.forEach((k, v) -> out.merge(k, -v, Long::sum));
        out.values().removeIf(v -> v == 0);
        return out;
    }

    /** Failed calls in {@code delta}: every key with a '!'. */
    static long failures(Map<String, Long> delta) {
        return delta.entrySet().stream().filter(e -> e.getKey().contains("!")).mapToLong(Map.Entry::getValue).sum();
    }
}
