package dev.shoal.storage.testing;

import dev.shoal.storage.dynamodb.ShoalTables;
import dev.shoal.storage.metering.BillingMeter;
import dev.shoal.storage.metering.Meter;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

import dev.shoal.storage.local.AwsStack;

/**
 * What one test gets from {@link EmbeddedAwsExtension}: its own tables and bucket on the
 * shared stack, clients that meter every call, and a way to make clients with extra
 * interceptors (to break calls on purpose).
 */
public final class AwsFixture implements AutoCloseable {

    private final AwsStack stack;
    private final ShoalTables tables;
    private final String bucket;
    private final Meter meter = new Meter();
    private final DynamoDbClient dynamo;
    private final S3Client s3;

    AwsFixture(AwsStack stack, ShoalTables tables, String bucket) {
        this.stack = stack;
        this.tables = tables;
        this.bucket = bucket;
        stack.provision(tables, bucket);
        this.dynamo = dynamoClient();
        this.s3 = s3Client();
    }

    public ShoalTables tables() {
        return tables;
    }

    public String bucket() {
        return bucket;
    }

    public Meter meter() {
        return meter;
    }

    public DynamoDbClient dynamo() {
        return dynamo;
    }

    public S3Client s3() {
        return s3;
    }

    public AwsStack stack() {
        return stack;
    }

    /** A new metered DynamoDB client with {@code extra} interceptors running first. */
    public DynamoDbClient dynamoClient(ExecutionInterceptor... extra) {
        return stack.dynamoClient(c -> {
            for (ExecutionInterceptor i : extra) c.addExecutionInterceptor(i);
            c.addExecutionInterceptor(new BillingMeter(meter));
        });
    }

    /** A new metered S3 client with {@code extra} interceptors running first. */
    public S3Client s3Client(ExecutionInterceptor... extra) {
        return stack.s3Client(c -> {
            for (ExecutionInterceptor i : extra) c.addExecutionInterceptor(i);
            c.addExecutionInterceptor(new BillingMeter(meter));
        });
    }

    @Override
    public void close() {
        dynamo.close();
        s3.close();
    }
}
