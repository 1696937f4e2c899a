package dev.shoal.bench;

import dev.shoal.storage.ShoalEngine;
import dev.shoal.storage.dynamodb.ShoalTables;
import dev.shoal.storage.local.EmbeddedAws;
import dev.shoal.storage.metering.BillingMeter;
import dev.shoal.storage.metering.Meter;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The embedded stack for one benchmark: DynamoDB Local (server mode, loopback HTTP) and
 * S3Proxy in this JVM, Shoal's tables and bucket, and clients that meter every call into a
 * {@link Meter} the benchmark chooses, so producer and consumer costs are counted apart.
 */
final class BenchStack implements AutoCloseable {

    static final byte[] RECEIPT_SECRET = "shoal benchmark receipt secret, 32+ bytes".getBytes(StandardCharsets.UTF_8);

    private final EmbeddedAws aws;
    private final ShoalTables tables;
    private final String bucket;
    private final List<AutoCloseable> clients = new ArrayList<>();
    private final DynamoDbClient plainDynamo;
    private final S3Client plainS3;

    private BenchStack(EmbeddedAws aws, ShoalTables tables, String bucket) {
        this.aws = aws;
        this.tables = tables;
        this.bucket = bucket;
        this.plainDynamo = track(dynamoClient(c -> { }));
        this.plainS3 = track(s3Client(c -> { }));
    }

    static BenchStack start() {
        // DynamoDB Local prints its configuration on stdout, where the result tables go.
        java.io.PrintStream stdout = System.out;
        EmbeddedAws aws;
        System.setOut(System.err);
        try {
            aws = EmbeddedAws.startInMemory();
        } finally {
            System.setOut(stdout);
        }
        try {
            ShoalTables tables = new ShoalTables("bench");
            String bucket = "shoal-bench";
            aws.provision(tables, bucket);
            return new BenchStack(aws, tables, bucket);
        } catch (RuntimeException e) {
            aws.close();
            throw e;
        }
    }

    ShoalTables tables() {
        return tables;
    }

    String bucket() {
        return bucket;
    }

    EmbeddedAws aws() {
        return aws;
    }

    /** A client that counts nothing: for setup and for checking results, outside what is measured. */
    DynamoDbClient plainDynamo() {
        return plainDynamo;
    }

    S3Client plainS3() {
        return plainS3;
    }

    /** A DynamoDB client whose calls are billed to {@code meter}; {@code extra} interceptors run first. */
    DynamoDbClient dynamo(Meter meter, ExecutionInterceptor... extra) {
        return track(dynamoClient(c -> {
            for (ExecutionInterceptor i : extra) c.addExecutionInterceptor(i);
            c.addExecutionInterceptor(new BillingMeter(meter));
        }));
    }

    S3Client s3(Meter meter, ExecutionInterceptor... extra) {
        return track(s3Client(c -> {
            for (ExecutionInterceptor i : extra) c.addExecutionInterceptor(i);
            c.addExecutionInterceptor(new BillingMeter(meter));
        }));
    }

    /**
     * As {@link EmbeddedAws#dynamoClient}, with the HTTP client chosen by {@code --http-client}:
     * Apache's by default (TCP_NODELAY, a pool sized for 64 threads); {@code url-connection} is
     * what the Lambda functions use, kept selectable to reproduce what BENCHMARKS.md reports of it.
     */
    private DynamoDbClient dynamoClient(Consumer<ClientOverrideConfiguration.Builder> config) {
        if (HttpClientChoice.current() == HttpClientChoice.URL_CONNECTION) {
            return aws.dynamoClient(config);
        }
        return DynamoDbClient.builder().endpointOverride(aws.dynamoEndpoint()).region(EmbeddedAws.REGION)
                .credentialsProvider(aws.credentials()).httpClientBuilder(apache()).overrideConfiguration(config).build();
    }

    private S3Client s3Client(Consumer<ClientOverrideConfiguration.Builder> config) {
        if (HttpClientChoice.current() == HttpClientChoice.URL_CONNECTION) {
            return aws.s3Client(config);
        }
        return S3Client.builder().endpointOverride(aws.s3Endpoint()).region(EmbeddedAws.REGION).forcePathStyle(true)
                .credentialsProvider(aws.credentials()).httpClientBuilder(apache()).overrideConfiguration(config).build();
    }

    private static Apache5HttpClient.Builder apache() {
        return Apache5HttpClient.builder().maxConnections(256);
    }

    /** Which HTTP client the benchmark's SDK clients use (a process-wide choice: {@code --http-client}). */
    enum HttpClientChoice {
        APACHE5, URL_CONNECTION;

        private static volatile HttpClientChoice current = APACHE5;

        static HttpClientChoice current() {
            return current;
        }

        static void choose(String name) {
            current = switch (name) {
                case "apache5" -> APACHE5;
                case "url-connection" -> URL_CONNECTION;
                default -> throw new Options.UsageException("--http-client must be apache5 or url-connection, was '" + name + "'");
            };
        }
    }

    /**
     * An engine whose calls are billed to {@code meter}, with a segment cache of its own of
     * {@code cacheBytes} (0: none). Producer and consumer engines are built separately, as two
     * Lambda functions would be: a consumer never finds the producer's segments in its cache.
     */
    ShoalEngine engine(Meter meter, long cacheBytes, Clock clock) {
        return ShoalEngine.builder()
                .dynamo(dynamo(meter)).s3(s3(meter))
                .tables(tables).bucket(bucket)
                .clock(clock)
                .receiptSecret(RECEIPT_SECRET)
                .segmentCacheBytes(cacheBytes)
                .build();
    }

    private <T extends AutoCloseable> T track(T client) {
        clients.add(client);
        return client;
    }

    @Override
    public void close() {
        for (AutoCloseable c : clients) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing clients of an emulator that is about to stop
            }
        }
        aws.close();
    }
}
