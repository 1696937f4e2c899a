package dev.shoal.infra.internal;

import dev.shoal.infra.DispatchSettings;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.dynamodb.ITable;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.lambda.StartingPosition;
import software.amazon.awscdk.services.lambda.eventsources.DynamoEventSource;
import software.amazon.awscdk.services.lambda.eventsources.SqsDlq;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

import java.util.List;

/**
 * What runs the dispatcher and the janitor: EventBridge schedules for both, and the log
 * table's stream for the dispatcher.
 */
public final class Triggers extends Construct {

    /** Stream records older than this are dropped: the schedule has long covered them. */
    private static final Duration MAX_STREAM_RECORD_AGE = Duration.hours(1);

    private final Queue streamFailures;

    public Triggers(Construct scope, String id, ShoalFunction dispatcher, ShoalFunction janitor,
            ITable logTable, java.time.Duration janitorRate, DispatchSettings dispatch, RemovalPolicy removal) {
        super(scope, id);
        schedule("JanitorSchedule", janitor, janitorRate, "Runs the Shoal janitor: retention, orphans, metrics");
        schedule("DispatcherSchedule", dispatcher, dispatch.scheduleRate(),
                "Runs the Shoal dispatcher: redeliveries and delayed messages");

        // Where Lambda reports stream batches that failed every retry (the batch's shard and
        // sequence numbers, not the records): something to look at, never lost messages,
        // because the messages stay in the log and the schedule delivers them.
        this.streamFailures = Queue.Builder.create(this, "StreamFailures")
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .retentionPeriod(Duration.days(14))
                .removalPolicy(removal)
                .build();
        dispatcher.live().addEventSource(DynamoEventSource.Builder.create(logTable)
                // From the oldest record: a nudge that arrives late is harmless, one lost is a delay.
                .startingPosition(StartingPosition.TRIM_HORIZON)
                .batchSize(dispatch.streamBatchSize())
                .maxBatchingWindow(Duration.seconds(dispatch.streamBatchingWindow().toSeconds()))
                .retryAttempts(dispatch.streamRetryAttempts())
                .maxRecordAge(MAX_STREAM_RECORD_AGE)
                .bisectBatchOnError(true)
                .reportBatchItemFailures(true)
                .onFailure(new SqsDlq(streamFailures))
                .build());
    }

    public Queue streamFailures() {
        return streamFailures;
    }

    private void schedule(String id, ShoalFunction function, java.time.Duration rate, String description) {
        Rule.Builder.create(this, id)
                .description(description)
                .schedule(Schedule.rate(Duration.minutes(rate.toMinutes())))
                .targets(List.of(LambdaFunction.Builder.create(function.live()).build()))
                .build();
    }
}
