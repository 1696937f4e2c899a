package dev.shoal.it;

import dev.shoal.storage.local.AwsStack;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.localstack.LocalStackContainer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

import java.util.function.Consumer;

/**
 * LocalStack (S3 and DynamoDB) in a container, for {@code -Plocalstack}: the storage fixture
 * ({@code EmbeddedAwsExtension}) calls {@link #start()} when {@code shoal.stack=localstack}
 * and skips the tests when it throws, as it does without Docker.
 */
public final class LocalStackAws implements AwsStack {

    static final String IMAGE = "localstack/localstack:4.4";

    private final LocalStackContainer container;

    private LocalStackAws(LocalStackContainer container) {
        this.container = container;
    }

    /** Starts LocalStack; throws IllegalStateException when Docker is not available. */
    public static AwsStack start() {
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            throw new IllegalStateException("Docker is not available: LocalStack cannot start");
        }
        LocalStackContainer container = new LocalStackContainer(IMAGE).withServices("s3", "dynamodb");
        container.start();
        return new LocalStackAws(container);
    }

    private StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(container.getAccessKey(), container.getSecretKey()));
    }

    @Override
    public DynamoDbClient dynamoClient(Consumer<ClientOverrideConfiguration.Builder> config) {
        return AwsStack.dynamoClient(container.getEndpoint(), Region.of(container.getRegion()), credentials(), config);
    }

    @Override
    public S3Client s3Client(Consumer<ClientOverrideConfiguration.Builder> config) {
        return AwsStack.s3Client(container.getEndpoint(), Region.of(container.getRegion()), credentials(), config);
    }

    @Override
    public void close() {
        container.stop();
    }
}
