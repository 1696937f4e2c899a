package dev.shoal.storage.testing;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fault injection at the SDK level, around the real emulators: the store under test is the real
 * one, and only what travels between the client and the store is broken. Rules pick requests
 * by operation name ({@code PutItem}, {@code GetObject}, or {@code *}) and fire a set number of
 * times or at random (seeded, so a failing run can be repeated).
 *
 * <p>Each fault acts like its real counterpart: {@link Fault#THROTTLE}, {@link Fault#SERVER_ERROR}
 * and {@link Fault#NO_ANSWER} keep the request from the store; {@link Fault#SERVER_ERROR_AFTER_APPLYING}
 * and {@link Fault#LOST_RESPONSE} let the store do the work and then fail the call (the cases
 * where the caller cannot know); {@link Fault#LATENCY} delays the request.
 */
public final class FaultInjector implements ExecutionInterceptor {

    public enum Fault {
        THROTTLE, SERVER_ERROR, NO_ANSWER, SERVER_ERROR_AFTER_APPLYING, LOST_RESPONSE, LATENCY,
        /** A transaction cancelled because its items were throttled ({@code ThrottlingError} reasons). */
        THROTTLED_TRANSACTION
    }

    private record Rule(Set<String> operations, Fault fault, AtomicInteger skip, AtomicInteger left, double probability) {
        boolean matches(String operation) {
            return operations.contains("*") || operations.contains(operation);
        }
    }

    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final Random random;
    private final Duration latency;
    private final Map<Fault, AtomicLong> injected = new EnumMap<>(Fault.class);
    private volatile boolean enabled = true;

    public FaultInjector(long seed, Duration latency) {
        this.random = new Random(seed);
        this.latency = latency;
        for (Fault f : Fault.values()) injected.put(f, new AtomicLong());
    }

    public FaultInjector() {
        this(1, Duration.ofMillis(20));
    }

    /** The next {@code times} matching requests get {@code fault}. */
    public FaultInjector times(String operation, Fault fault, int times) {
        return afterSkipping(operation, 0, fault, times);
    }

    /** Lets {@code skip} matching requests through, then the next {@code times} get {@code fault}. */
    public FaultInjector afterSkipping(String operation, int skip, Fault fault, int times) {
        rules.add(new Rule(Set.of(operation), fault, new AtomicInteger(skip), new AtomicInteger(times), 1.0));
        return this;
    }

    /** Each matching request gets {@code fault} with {@code probability}, without end. */
    public FaultInjector randomly(Set<String> operations, Fault fault, double probability) {
        rules.add(new Rule(Set.copyOf(operations), fault, new AtomicInteger(), new AtomicInteger(Integer.MAX_VALUE), probability));
        return this;
    }

    /** Stops injecting (for the checks after a run). */
    public void disable() {
        enabled = false;
    }

    public long injected(Fault fault) {
        return injected.get(fault).get();
    }

    public long injectedTotal() {
        return injected.values().stream().mapToLong(AtomicLong::get).sum();
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        Fault fault = pick(attributes, Set.of(Fault.THROTTLE, Fault.SERVER_ERROR, Fault.NO_ANSWER, Fault.LATENCY, Fault.THROTTLED_TRANSACTION));
        if (fault == null) return;
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        switch (fault) {
            case THROTTLE -> throw serviceError(attributes, throttleStatus(attributes), throttleCode(attributes),
                    "injected: " + operation + " throttled");
            case SERVER_ERROR -> throw serviceError(attributes, 500, "InternalServerError", "injected: " + operation + " failed with 500");
            case NO_ANSWER -> throw SdkClientException.create("injected: " + operation + " timed out before reaching the store");
            case LATENCY -> pause();
            case THROTTLED_TRANSACTION -> throw TransactionCanceledException.builder().statusCode(400)
                    .message("injected: " + operation + " cancelled, [ThrottlingError]")
                    .awsErrorDetails(AwsErrorDetails.builder().errorCode("TransactionCanceledException").serviceName("DynamoDb").build())
                    .cancellationReasons(CancellationReason.builder().code("ThrottlingError").message("Throughput exceeds the limit").build(),
                            CancellationReason.builder().code("None").build())
                    .build();
            default -> { }
        }
    }

    @Override
    public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
        Fault fault = pick(attributes, Set.of(Fault.SERVER_ERROR_AFTER_APPLYING, Fault.LOST_RESPONSE));
        if (fault == null) return;
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        if (fault == Fault.LOST_RESPONSE) {
            throw SdkClientException.create("injected: the answer to " + operation + " was lost");
        }
        throw serviceError(attributes, 500, "InternalServerError", "injected: " + operation + " applied, then answered 500");
    }

    private Fault pick(ExecutionAttributes attributes, Set<Fault> phase) {
        if (!enabled) return null;
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        for (Rule rule : rules) {
            if (!phase.contains(rule.fault()) || !rule.matches(operation)) continue;
            if (rule.skip().get() > 0 && rule.skip().getAndDecrement() > 0) continue;
            boolean fire;
            synchronized (random) {
                fire = rule.probability() >= 1.0 || random.nextDouble() < rule.probability();
            }
            if (fire && rule.left().getAndDecrement() > 0) {
                injected.get(rule.fault()).incrementAndGet();
                return rule.fault();
            }
        }
        return null;
    }

    private void pause() {
        try {
            Thread.sleep(latency);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean isS3(ExecutionAttributes attributes) {
        return "S3".equals(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME));
    }

    private static int throttleStatus(ExecutionAttributes attributes) {
        return isS3(attributes) ? 503 : 400;
    }

    private static String throttleCode(ExecutionAttributes attributes) {
        return isS3(attributes) ? "SlowDown" : "ProvisionedThroughputExceededException";
    }

    private static AwsServiceException serviceError(ExecutionAttributes attributes, int status, String code, String message) {
        AwsErrorDetails details = AwsErrorDetails.builder().errorCode(code).errorMessage(message)
                .serviceName(isS3(attributes) ? "S3" : "DynamoDb").build();
        AwsServiceException.Builder b = isS3(attributes) ? S3Exception.builder() : DynamoDbException.builder();
        return b.statusCode(status).awsErrorDetails(details).message(message).build();
    }
}
