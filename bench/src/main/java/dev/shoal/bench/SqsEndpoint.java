package dev.shoal.bench;

import dev.shoal.functions.api.ApiConfig;
import dev.shoal.functions.api.ApiHandler;
import dev.shoal.functions.api.ApiRouter;
import dev.shoal.functions.local.LocalHttpServer;
import dev.shoal.storage.ShoalEngine;
import dev.shoal.storage.metering.Meter;
import dev.shoal.storage.subscription.Maintenance;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * An SQS endpoint on a loopback port and an unchanged AWS SDK {@link SqsClient} pointed at it:
 * either Shoal's SQS face (the API function's handler, served by {@link LocalHttpServer} as
 * {@code ./shoal local} serves it, over an engine on the embedded stack whose every AWS call is
 * metered) or ElasticMQ in this JVM, the reference.
 */
final class SqsEndpoint implements AutoCloseable {

    private final String name;
    private final SqsClient sqs;
    private final Meter meter;
    private final AutoCloseable server;
    private final Map<String, String> queueAttributes;
    private final CallTimer calls;

    private final Runnable janitorPass;

    private SqsEndpoint(String name, SqsClient sqs, Meter meter, CallTimer calls, AutoCloseable server, Map<String, String> queueAttributes,
                        Runnable janitorPass) {
        this.janitorPass = janitorPass;
        this.name = name;
        this.calls = calls;
        this.sqs = sqs;
        this.meter = meter;
        this.server = server;
        this.queueAttributes = Map.copyOf(queueAttributes);
    }

    /**
     * Shoal's SQS face over {@code stack}: the engine is built as {@code LocalLauncher} builds it
     * (default segment cache), but on metered clients. The janitor and the dispatcher's timers are
     * not started (the dispatcher is woken by the stream in AWS); instead each run ends with one
     * janitor pass ({@link #janitorPass}), because what it deletes (done chunks) is paid per message:
     * the pass a minute later, when every done chunk of the run is old enough to delete.
     * {@code queueAttributes} go into every CreateQueue (queue settings under test, such as a batching window).
     */
    static SqsEndpoint shoal(BenchStack stack, int connections, Map<String, String> queueAttributes) {
        Meter meter = new Meter();
        CallTimer calls = new CallTimer();
        ShoalEngine engine = ShoalEngine.builder()
                .dynamo(stack.dynamo(meter, calls)).s3(stack.s3(meter, calls))
                .tables(stack.tables()).bucket(stack.bucket())
                .clock(Clock.systemUTC())
                .receiptSecret(BenchStack.RECEIPT_SECRET)
                .build();
        ApiHandler handler = new ApiHandler(new ApiRouter(engine, ApiConfig.local()));
        LocalHttpServer server = LocalHttpServer.start("127.0.0.1", 0, event -> handler.handleRequest(event, null));
        // ApiConfig.local() accepts the local stack's key test/test, signed for us-east-1
        SqsClient sqs = client(server.endpoint(), "test", "test", connections);
        // the janitor pass that comes once every done chunk of the run may be deleted (a minute after its claim)
        Duration later = Duration.ofMillis(Maintenance.MIN_AGE_TO_DELETE_MILLIS).plusSeconds(1);
        ShoalEngine janitor = ShoalEngine.builder()
                .dynamo(stack.dynamo(meter, calls)).s3(stack.s3(meter, calls))
                .tables(stack.tables()).bucket(stack.bucket())
                .clock(Clock.offset(Clock.systemUTC(), later))
                .receiptSecret(BenchStack.RECEIPT_SECRET)
                .build();
        return new SqsEndpoint("shoal", sqs, meter, calls, server, queueAttributes, () -> janitor.maintenance(Instant.now().plus(later)));
    }

    /** ElasticMQ in this JVM on a free loopback port. */
    static SqsEndpoint elasticMq(int connections) {
        int port = freePort();
        PrintStream stdout = System.out; // keep its start-up chatter off stdout, where the tables go
        SQSRestServer server;
        System.setOut(System.err);
        try {
            server = SQSRestServerBuilder.withPort(port).withInterface("127.0.0.1").start();
            server.waitUntilStarted();
        } finally {
            System.setOut(stdout);
        }
        SqsClient sqs = client(URI.create("http://127.0.0.1:" + port), "x", "x", connections);
        return new SqsEndpoint("elasticmq", sqs, null, null, server::stopAndWait, Map.of(), () -> { });
    }

    private static SqsClient client(URI endpoint, String key, String secret, int connections) {
        return SqsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(key, secret)))
                .httpClientBuilder(Apache5HttpClient.builder().maxConnections(connections)).build();
    }

    String name() {
        return name;
    }

    SqsClient sqs() {
        return sqs;
    }

    /** Runs what the janitor would have run by now: Shoal deletes the consumer state a run finished with; ElasticMQ has nothing to do. */
    void janitorPass() {
        janitorPass.run();
    }

    /** Attributes added to every CreateQueue on this endpoint (besides FifoQueue). */
    Map<String, String> queueAttributes() {
        return queueAttributes;
    }

    /** What AWS would bill for the storage calls so far (Shoal), or null (ElasticMQ: SQS's price is computed from calls). */
    Meter.Usage usage() {
        return meter == null ? null : meter.snapshot();
    }

    /** Storage calls so far by operation (Shoal), or empty (ElasticMQ). */
    Map<String, CallTimer.Tally> calls() {
        return calls == null ? Map.of() : calls.snapshot();
    }

    @Override
    public void close() {
        sqs.close();
        try {
            server.close();
        } catch (Exception e) {
            Bench.progress("sqs: stopping %s: %s", name, e);
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }
}
