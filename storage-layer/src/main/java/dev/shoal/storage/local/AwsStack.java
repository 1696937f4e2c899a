package dev.shoal.storage.local;

import dev.shoal.storage.dynamodb.ShoalTables;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

import java.util.function.Consumer;

/**
 * Somewhere that speaks the DynamoDB and S3 protocols: the embedded emulators, or LocalStack.
 * Tests and the launcher get their clients from here and never care which it is.
 */
public interface AwsStack extends AutoCloseable {

    /** A new DynamoDB client; {@code config} may add interceptors (metering, fault injection). */
    DynamoDbClient dynamoClient(Consumer<ClientOverrideConfiguration.Builder> config);

    /** A new S3 client (path-style); {@code config} may add interceptors. */
    S3Client s3Client(Consumer<ClientOverrideConfiguration.Builder> config);

    /** Creates Shoal's tables and the bucket if they do not exist yet. MUST be idempotent. */
    void provision(ShoalTables tables, String bucket);

    @Override
    void close();
}
