package dev.shoal.storage.testing;

import dev.shoal.storage.api.QueueSettings;
import dev.shoal.storage.api.Sleeper;
import dev.shoal.storage.batching.Signals;
import dev.shoal.storage.catalog.QueueCatalog;
import dev.shoal.storage.catalog.QueueRef;
import dev.shoal.storage.log.LogIndex;
import dev.shoal.storage.log.PartitionLog;
import dev.shoal.storage.log.SegmentStore;
import dev.shoal.storage.s3.S3ObjectStore;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

import java.time.Clock;

/** Builds storage parts on a fixture, for tests below the engine. */
public final class Engines {

    private Engines() {
    }

    public static PartitionLog log(AwsFixture aws, Clock clock) {
        return log(aws, aws.dynamo(), aws.s3(), clock, 0);
    }

    public static PartitionLog log(AwsFixture aws, DynamoDbClient dynamo, S3Client s3, Clock clock, long cacheBytes) {
        return log(aws, dynamo, s3, clock, cacheBytes, Sleeper.SYSTEM);
    }

    public static PartitionLog log(AwsFixture aws, DynamoDbClient dynamo, S3Client s3, Clock clock, long cacheBytes, Sleeper sleeper) {
        return log(aws, dynamo, s3, clock, cacheBytes, sleeper, PartitionLog.DEFAULT_INLINE_LIMIT);
    }

    /** A log that writes every segment to S3, however small (no inline segments): for tests of segment objects. */
    public static PartitionLog s3Log(AwsFixture aws, DynamoDbClient dynamo, S3Client s3, Clock clock, Sleeper sleeper) {
        return log(aws, dynamo, s3, clock, 0, sleeper, 0);
    }

    private static PartitionLog log(AwsFixture aws, DynamoDbClient dynamo, S3Client s3, Clock clock, long cacheBytes, Sleeper sleeper,
                                    long inlineLimit) {
        LogIndex index = new LogIndex(dynamo, aws.tables());
        return new PartitionLog(index, new SegmentStore(new S3ObjectStore(s3, aws.bucket()), index, cacheBytes), clock, sleeper,
                new Signals(), inlineLimit);
    }

    public static QueueRef queue(AwsFixture aws, String name, QueueSettings settings) {
        return new QueueCatalog(aws.dynamo(), aws.tables(), Clock.systemUTC()).create(name, settings);
    }
}
