package dev.shoal.storage.local;

import dev.shoal.storage.dynamodb.ShoalTables;
import dev.shoal.storage.dynamodb.TableDefinitions;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;

import java.net.URI;
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

    /** Creates Shoal's tables and the bucket if they do not exist yet. Idempotent. */
    default void provision(ShoalTables tables, String bucket) {
        try (DynamoDbClient dynamo = dynamoClient(c -> { }); S3Client s3 = s3Client(c -> { })) {
            new TableDefinitions(tables).createIfMissing(dynamo);
            try {
                s3.createBucket(b -> b.bucket(bucket));
            } catch (BucketAlreadyOwnedByYouException alreadyThere) {
                // a restart on the same data, or a second fixture on the same stack
            }
        }
    }

    @Override
    void close();

    /** A DynamoDB client for an emulator at {@code endpoint}. */
    static DynamoDbClient dynamoClient(URI endpoint, Region region, AwsCredentialsProvider credentials,
                                       Consumer<ClientOverrideConfiguration.Builder> config) {
        return DynamoDbClient.builder().endpointOverride(endpoint).region(region).credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.create()).overrideConfiguration(config).build();
    }

    /**
     * An S3 client for an emulator at {@code endpoint} (path-style addressing, as emulators need).
     * It uses the Apache 5 HTTP client: the url-connection client fails against S3Proxy after a
     * few thousand PUTs, while it works against S3 itself (the functions keep it in AWS).
     */
    static S3Client s3Client(URI endpoint, Region region, AwsCredentialsProvider credentials,
                             Consumer<ClientOverrideConfiguration.Builder> config) {
        return S3Client.builder().endpointOverride(endpoint).region(region).credentialsProvider(credentials).forcePathStyle(true)
                .httpClient(Apache5HttpClient.builder().maxConnections(64).build()).overrideConfiguration(config).build();
    }
}
