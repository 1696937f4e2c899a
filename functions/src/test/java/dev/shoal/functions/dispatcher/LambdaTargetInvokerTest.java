package dev.shoal.functions.dispatcher;

import com.sun.net.httpserver.HttpServer;
import dev.shoal.storage.api.PushTarget;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Lambda invoker through the real SDK client, against a loopback server that answers as
 * Lambda's Invoke API does (status, {@code X-Amz-Function-Error}, {@code X-Amzn-ErrorType}).
 */
class LambdaTargetInvokerTest {

    private static final String ARN = "arn:aws:lambda:eu-west-1:123456789012:function:shoal-target-orders";
    private static final byte[] EVENT = "{\"source\":\"shoal\",\"messages\":[]}".getBytes(StandardCharsets.UTF_8);

    private HttpServer lambda;
    private volatile Answer answer;
    private final List<String> paths = new CopyOnWriteArrayList<>();
    private final List<String> invocationTypes = new CopyOnWriteArrayList<>();
    private final List<Region> regions = new CopyOnWriteArrayList<>();
    private LambdaTargetInvoker invoker;

    record Answer(int status, Map<String, String> headers, String body) {
    }

    @BeforeEach
    void start() throws IOException {
        lambda = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        lambda.createContext("/", exchange -> {
            try (exchange) {
                paths.add(exchange.getRequestURI().getRawPath());
                invocationTypes.add(exchange.getRequestHeaders().getFirst("X-Amz-Invocation-Type"));
                exchange.getRequestBody().readAllBytes();
                Answer a = answer;
                a.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
                byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(a.status(), body.length == 0 ? -1 : body.length);
                if (body.length > 0) exchange.getResponseBody().write(body);
            }
        });
        lambda.start();
        URI endpoint = URI.create("http://127.0.0.1:" + lambda.getAddress().getPort());
        invoker = new LambdaTargetInvoker(region -> {
            regions.add(region);
            return LambdaClient.builder().region(region).endpointOverride(endpoint)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                    .httpClient(UrlConnectionHttpClient.create())
                    .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
                    .build();
        });
    }

    @AfterEach
    void stop() {
        invoker.close();
        lambda.stop(0);
    }

    @Test
    void aSynchronousInvokeOfTheArnReturnsTheFunctionsPayload() {
        answer = new Answer(200, Map.of(), "{\"batchItemFailures\":[{\"itemIdentifier\":\"0-1\"}]}");

        var outcome = assertInstanceOf(InvocationOutcome.Completed.class, invoker.invoke(target(), EVENT));

        assertEquals("{\"batchItemFailures\":[{\"itemIdentifier\":\"0-1\"}]}", new String(outcome.response(), StandardCharsets.UTF_8));
        assertEquals("RequestResponse", invocationTypes.getFirst());
        assertTrue(paths.getFirst().startsWith("/2015-03-31/functions/") && paths.getFirst().endsWith("/invocations"), paths.getFirst());
        assertEquals(List.of(Region.EU_WEST_1), regions, "the client of the ARN's region");
    }

    @Test
    void aFunctionErrorFailsTheBatch() {
        answer = new Answer(200, Map.of("X-Amz-Function-Error", "Unhandled"),
                "{\"errorMessage\":\"boom\",\"errorType\":\"java.lang.IllegalStateException\"}");

        var outcome = assertInstanceOf(InvocationOutcome.Failed.class, invoker.invoke(target(), EVENT));

        assertTrue(outcome.reason().contains("Unhandled") && outcome.reason().contains("boom"), outcome.reason());
    }

    @Test
    void throttlingIsNotDeliveredWithLambdasRetryAfterHint() {
        answer = new Answer(429, Map.of("X-Amzn-ErrorType", "TooManyRequestsException", "Retry-After", "3"),
                "{\"Reason\":\"ReservedFunctionConcurrentInvocationLimitExceeded\",\"Type\":\"User\",\"message\":\"Rate Exceeded.\"}");

        var outcome = assertInstanceOf(InvocationOutcome.NotDelivered.class, invoker.invoke(target(), EVENT));

        assertEquals(Duration.ofSeconds(3), outcome.retryAfter());
    }

    @Test
    void aMissingFunctionNeverRanSoItIsNotDelivered() {
        answer = new Answer(404, Map.of("X-Amzn-ErrorType", "ResourceNotFoundException"),
                "{\"Type\":\"User\",\"message\":\"Function not found\"}");

        assertInstanceOf(InvocationOutcome.NotDelivered.class, invoker.invoke(target(), EVENT));
    }

    @Test
    void aLambdaServiceErrorIsAmbiguousSoItFailsTheBatch() {
        answer = new Answer(500, Map.of("X-Amzn-ErrorType", "ServiceException"), "{\"message\":\"internal\"}");

        assertInstanceOf(InvocationOutcome.Failed.class, invoker.invoke(target(), EVENT));
    }

    @Test
    void theRegionComesFromTheArn() {
        assertEquals(Region.US_EAST_2, LambdaTargetInvoker.regionOf("arn:aws:lambda:us-east-2:1:function:f:live"));
    }

    private static PushTarget target() {
        return new PushTarget(ARN, 10, Duration.ZERO, 1, Duration.ofSeconds(5));
    }
}
