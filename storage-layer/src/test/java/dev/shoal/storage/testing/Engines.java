package dev.shoal.storage.testing;

import dev.shoal.storage.api.QueueSettings;
import dev.shoal.storage.api.Sleeper;
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
        return new PartitionLog(new LogIndex(dynamo, aws.tables()),
                new SegmentStore(new S3ObjectStore(s3, aws.bucket()), cacheBytes), clock, sleeper);
    }

    public static QueueRef queue(AwsFixture aws, String name, QueueSettings settings) {
        return new QueueCatalog(aws.dynamo(), aws.tables(), Clock.systemUTC()).create(name, settings);
    }
}
