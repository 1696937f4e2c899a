package dev.shoal.infra;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How the dispatcher is triggered and which downstream functions it may invoke.
 *
 * <p>The log table's stream only nudges the dispatcher ("a segment was committed"); what to
 * deliver is read from the subscriptions themselves, and the schedule catches up on anything a
 * dropped nudge missed. So the stream settings trade latency for invocations, not correctness.
 *
 * @param scheduleRate           how often the schedule runs the dispatcher (redeliveries, delays);
 *                               whole minutes, at least one (EventBridge's finest rate)
 * @param streamBatchSize        stream records per invocation, 1 to 10,000
 * @param streamBatchingWindow   how long Lambda gathers stream records before invoking, 0 to 300 s
 * @param streamRetryAttempts    retries of a failed stream batch before it goes to the
 *                               on-failure queue, 0 to 10,000
 * @param targetNamePrefix       the dispatcher may invoke every function in the same account and
 *                               region whose name starts with this (may be empty to allow none)
 * @param targetArns             further functions it may invoke (any account), by unqualified ARN;
 *                               their versions and aliases are included
 */
public record DispatchSettings(
        Duration scheduleRate,
        int streamBatchSize,
        Duration streamBatchingWindow,
        int streamRetryAttempts,
        String targetNamePrefix,
        List<String> targetArns) {

    private static final Pattern NAME_PREFIX = Pattern.compile("[A-Za-z0-9_-]{0,63}");
    private static final Pattern FUNCTION_ARN =
            Pattern.compile("arn:aws[a-z-]*:lambda:[a-z0-9-]+:\\d{12}:function:[A-Za-z0-9_-]{1,64}");

    public DispatchSettings {
        Objects.requireNonNull(scheduleRate, "scheduleRate");
        Objects.requireNonNull(streamBatchingWindow, "streamBatchingWindow");
        Objects.requireNonNull(targetNamePrefix, "targetNamePrefix");
        targetArns = List.copyOf(Objects.requireNonNull(targetArns, "targetArns"));
        Rates.requireWholeMinutes("dispatcher scheduleRate", scheduleRate);
        if (streamBatchSize < 1 || streamBatchSize > 10_000) {
            throw new IllegalArgumentException("streamBatchSize must be 1-10000, was " + streamBatchSize);
        }
        if (streamBatchingWindow.isNegative() || streamBatchingWindow.toSeconds() > 300
                || streamBatchingWindow.toMillisPart() != 0) {
            throw new IllegalArgumentException(
                    "streamBatchingWindow must be whole seconds from 0 to 300, was " + streamBatchingWindow);
        }
        if (streamRetryAttempts < 0 || streamRetryAttempts > 10_000) {
            throw new IllegalArgumentException("streamRetryAttempts must be 0-10000, was " + streamRetryAttempts);
        }
        if (!NAME_PREFIX.matcher(targetNamePrefix).matches()) {
            throw new IllegalArgumentException(
                    "targetNamePrefix must be 0-63 of [A-Za-z0-9_-], was '" + targetNamePrefix + "'");
        }
        for (String arn : targetArns) {
            if (!FUNCTION_ARN.matcher(arn).matches()) {
                throw new IllegalArgumentException("targetArns entries must be unqualified Lambda function ARNs"
                        + " (arn:aws:lambda:REGION:ACCOUNT:function:NAME), was '" + arn + "'");
            }
        }
    }
}
