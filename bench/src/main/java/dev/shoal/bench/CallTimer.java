package dev.shoal.bench;

import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Calls and time spent by storage operation (DynamoDB and S3), so a latency figure can be read
 * as the round trips it is made of: which calls a message costs, and how long each takes here.
 */
final class CallTimer implements ExecutionInterceptor {

    private static final ExecutionAttribute<Long> STARTED = new ExecutionAttribute<>("shoal.bench.started");

    /** Calls of one operation and their total duration. */
    record Tally(long calls, long nanos) {
        double meanMillis() {
            return calls == 0 ? 0 : nanos / 1e6 / calls;
        }

        Tally minus(Tally earlier) {
            return new Tally(calls - earlier.calls, nanos - earlier.nanos);
        }
    }

    private final Map<String, LongAdder[]> tallies = new ConcurrentHashMap<>();

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        attributes.putAttribute(STARTED, System.nanoTime());
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        record(context.request(), attributes);
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        record(context.request(), attributes);
    }

    private void record(SdkRequest request, ExecutionAttributes attributes) {
        Long started = attributes.getAttribute(STARTED);
        if (started == null) return;
        LongAdder[] t = tallies.computeIfAbsent(name(request, attributes), k -> new LongAdder[] {new LongAdder(), new LongAdder()});
        t[0].increment();
        t[1].add(System.nanoTime() - started);
    }

    /** The operation, and for DynamoDB reads and writes the table (and index) it went to. */
    private static String name(SdkRequest request, ExecutionAttributes attributes) {
        String op = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        String where = switch (request) {
            case QueryRequest q -> q.tableName() + (q.indexName() == null ? "" : "/" + q.indexName());
            case GetItemRequest g -> g.tableName();
            case PutItemRequest p -> p.tableName();
            case UpdateItemRequest u -> u.tableName();
            default -> "";
        };
        return where.isEmpty() ? op : op + "(" + where + ")";
    }

    Map<String, Tally> snapshot() {
        Map<String, Tally> out = new TreeMap<>();
        tallies.forEach((op, t) -> out.put(op, new Tally(t[0].sum(), t[1].sum())));
        return out;
    }

    /** One line: each operation's calls per message and mean milliseconds, between two snapshots. */
    static String describe(Map<String, Tally> later, Map<String, Tally> earlier, long messages) {
        StringBuilder out = new StringBuilder();
        later.forEach((op, t) -> {
            Tally d = t.minus(earlier.getOrDefault(op, new Tally(0, 0)));
            if (d.calls() == 0) return;
            out.append(String.format("%s %.3f/msg %.1f ms; ", op, messages == 0 ? 0.0 : (double) d.calls() / messages, d.meanMillis()));
        });
        return out.toString();
    }
}
