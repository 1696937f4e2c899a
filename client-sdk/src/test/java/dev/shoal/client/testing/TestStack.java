package dev.shoal.client.testing;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.shoal.client.RetryOptions;
import dev.shoal.client.ShoalClient;
import dev.shoal.functions.api.ApiConfig;
import dev.shoal.functions.api.ApiHandler;
import dev.shoal.functions.api.ApiRouter;
import dev.shoal.functions.local.LocalHttpServer;
import dev.shoal.storage.ShoalEngine;
import dev.shoal.storage.testing.AwsFixture;
import dev.shoal.storage.testing.TestEngines;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.net.URI;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A real Shoal for client tests: an engine (real clock) on the fixture's tables and bucket and,
 * for the HTTP transport, the functions module's API handler served by {@link LocalHttpServer}
 * on a free port over that same engine. {@code wrap} lets a test put a fault injector or a
 * signature check in front of the real handler.
 */
public final class TestStack implements AutoCloseable {

    public enum Kind { DIRECT, HTTP }

    public static final StaticCredentialsProvider CREDENTIALS = StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
    /** Fast retries: tests should not wait for backoff. */
    public static final RetryOptions FAST_RETRIES = new RetryOptions(4, Duration.ofMillis(1), Duration.ofMillis(5));

    private final Kind kind;
    private final ShoalEngine engine;
    private final LocalHttpServer server;

    private TestStack(Kind kind, ShoalEngine engine, LocalHttpServer server) {
        this.kind = kind;
        this.engine = engine;
        this.server = server;
    }

    public static ShoalEngine engine(AwsFixture aws) {
        return ShoalEngine.builder().dynamo(aws.dynamo()).s3(aws.s3()).tables(aws.tables()).bucket(aws.bucket())
                .receiptSecret(TestEngines.SECRET).build();
    }

    public static TestStack start(AwsFixture aws, Kind kind) {
        return start(engine(aws), kind, UnaryOperator.identity());
    }

    public static TestStack start(ShoalEngine engine, Kind kind,
                                  UnaryOperator<Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> wrap) {
        if (kind == Kind.DIRECT) {
            return new TestStack(kind, engine, null);
        }
        ApiHandler handler = new ApiHandler(new ApiRouter(engine, ApiConfig.local()));
        Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> real = event -> handler.handleRequest(event, null);
        return new TestStack(kind, engine, LocalHttpServer.start("127.0.0.1", 0, wrap.apply(real)));
    }

    public Kind kind() {
        return kind;
    }

    public ShoalEngine engine() {
        return engine;
    }

    public URI endpoint() {
        return server.endpoint();
    }

    /** A client on this stack's transport, with fast retries. */
    public ShoalClient client() {
        return builder().build();
    }

    public ShoalClient.Builder builder() {
        ShoalClient.Builder b = ShoalClient.builder().retry(FAST_RETRIES);
        return kind == Kind.DIRECT ? b.engine(engine)
                : b.endpoint(server.endpoint()).region("us-east-1").credentialsProvider(CREDENTIALS);
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
    }
}
