package dev.shoal.storage.local;

import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The embedded AWS stack: DynamoDB Local and an S3 emulator (S3Proxy) in this JVM, each
 * serving its real wire protocol on a free port of 127.0.0.1 (never another interface: the
 * emulators accept any credentials), so Shoal talks to them through the
 * ordinary AWS SDK clients. Data lives in memory, or under a folder when one is given (the
 * local launcher), so that a restart finds the queues and messages of the run before.
 *
 * <p>Used by the JUnit fixture, the local launcher and the benchmark. It is the only class
 * that depends on the emulators, which are optional dependencies of this module.
 */
public final class EmbeddedAws implements AwsStack {

    // DynamoDB Local accepts only letters and digits in access key ids.
    public static final String ACCESS_KEY = "shoallocal";
    public static final String SECRET_KEY = "shoallocalsecret";
    public static final Region REGION = Region.US_EAST_1;

    private final LoopbackDynamoDb dynamoServer;
    private final S3Proxy s3Proxy;
    private final URI dynamoEndpoint;
    private final URI s3Endpoint;

    private EmbeddedAws(LoopbackDynamoDb dynamoServer, URI dynamoEndpoint, S3Proxy s3Proxy, URI s3Endpoint) {
        this.dynamoServer = dynamoServer;
        this.dynamoEndpoint = dynamoEndpoint;
        this.s3Proxy = s3Proxy;
        this.s3Endpoint = s3Endpoint;
    }

    /** Starts both emulators with data in memory. */
    public static EmbeddedAws startInMemory() {
        return start(Optional.empty());
    }

    /** Starts both emulators with data kept under {@code dataDir} (created if missing). */
    public static EmbeddedAws startOnDisk(Path dataDir) {
        return start(Optional.of(dataDir));
    }

    private static EmbeddedAws start(Optional<Path> dataDir) {
        List<AutoCloseable> started = new ArrayList<>();
        try {
            Optional<Path> dynamoDir = dataDir.isPresent()
                    ? Optional.of(Files.createDirectories(dataDir.get().resolve("dynamodb"))) : Optional.empty();
            LoopbackDynamoDb dynamo = LoopbackDynamoDb.start(dynamoDir);
            started.add(dynamo);

            var blobStore = dataDir.isPresent()
                    ? new FilesystemNio2BlobStore(Files.createDirectories(dataDir.get().resolve("s3")).toString())
                    : new TransientNio2BlobStore();
            // port 0: the kernel picks a free port at bind time, on loopback only
            S3Proxy s3 = S3Proxy.builder()
                    .blobStore(blobStore)
                    .endpoint(URI.create("http://" + LoopbackDynamoDb.HOST + ":0"))
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                    .build();
            s3.start();
            started.add(s3::stop);
            waitUntilStarted(s3);
            URI s3Endpoint = URI.create("http://" + LoopbackDynamoDb.HOST + ":" + s3.getPort());
            return new EmbeddedAws(dynamo, dynamo.endpoint(), s3, s3Endpoint);
        } catch (Exception e) {
            for (AutoCloseable c : started.reversed()) {
                try {
                    c.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw new IllegalStateException("could not start the embedded AWS stack: " + e.getMessage(), e);
        }
    }

    private static void waitUntilStarted(S3Proxy s3) throws InterruptedException {
        for (int i = 0; i < 500 && !"STARTED".equals(s3.getState()); i++) {
            Thread.sleep(10);
        }
        if (!"STARTED".equals(s3.getState())) {
            throw new IllegalStateException("S3Proxy did not start: " + s3.getState());
        }
    }

    public URI dynamoEndpoint() {
        return dynamoEndpoint;
    }

    public URI s3Endpoint() {
        return s3Endpoint;
    }

    public StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));
    }

    /** A DynamoDB client for this stack; {@code config} can add interceptors (metering, faults). */
    @Override
    public DynamoDbClient dynamoClient(Consumer<ClientOverrideConfiguration.Builder> config) {
        return AwsStack.dynamoClient(dynamoEndpoint, REGION, credentials(), config);
    }

    /** An S3 client for this stack (path-style, as the emulator needs). */
    @Override
    public S3Client s3Client(Consumer<ClientOverrideConfiguration.Builder> config) {
        return AwsStack.s3Client(s3Endpoint, REGION, credentials(), config);
    }

    @Override
    public void close() {
        try {
            s3Proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("could not stop S3Proxy", e);
        } finally {
            try {
                dynamoServer.close();
            } catch (Exception e) {
                throw new IllegalStateException("could not stop DynamoDB Local", e);
            }
        }
    }
}
