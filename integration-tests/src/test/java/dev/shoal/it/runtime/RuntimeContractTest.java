package dev.shoal.it.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shoal.functions.api.auth.AccessKeys;
import dev.shoal.storage.deployment.SqsCredentialsSecret;
import dev.shoal.storage.dynamodb.ShoalTables;
import dev.shoal.storage.local.EmbeddedAws;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The deployment contract: each function, from the Lambda jar unzipped as /var/task, under AWS
 * Lambda's own Java runtime interface client, with the environment the CDK template gives it,
 * credentials only from the container credentials endpoint (as under SnapStart), secrets from
 * Secrets Manager in the shape the template has generated, and the embedded DynamoDB and S3.
 * Each function must start and answer the events its triggers send: API Gateway v2 requests,
 * schedule events and DynamoDB stream records.
 *
 * <p>Needs the Lambda jar ({@code functions/target/shoal-functions-lambda.jar}), which the
 * reactor's package phase builds before this module's tests; skipped without it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class RuntimeContractTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path JAR = Path.of(System.getProperty("shoal.functionsJar", "../functions/target/shoal-functions-lambda.jar"));
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(120);
    private static final String BUCKET = "shoal-contract";
    private static final String SCHEDULE_EVENT = """
            {"version":"0","id":"0d1f3c4e-0000-4000-8000-000000000001","detail-type":"Scheduled Event",\
            "source":"aws.events","account":"123456789012","time":"2026-01-01T00:00:00Z","region":"us-east-1",\
            "resources":["arn:aws:events:us-east-1:123456789012:rule/shoal-schedule"],"detail":{}}""";

    private Path work;
    private EmbeddedAws aws;
    private SynthesizedDeployment deployment;
    private ContainerCredentials credentials;
    private SecretsManagerStandIn secrets;
    private Path taskRoot;
    private final List<AutoCloseable> running = new ArrayList<>();
    private RunningFunction api;

    @BeforeAll
    void startTheStandIns(@TempDir Path work) throws Exception {
        this.work = work;
        assumeTrue(Files.isRegularFile(JAR), "no Lambda jar at " + JAR.toAbsolutePath()
                + ": build it with `./mvnw -B -pl functions -am package -DskipTests` (verify does, before this module)");
        aws = EmbeddedAws.startInMemory();
        deployment = SynthesizedDeployment.synthesize(JAR, BUCKET);
        aws.provision(new ShoalTables(deployment.function("shoal-api").environment().get("SHOAL_TABLE_PREFIX")), BUCKET);
        credentials = new ContainerCredentials(EmbeddedAws.ACCESS_KEY, EmbeddedAws.SECRET_KEY, "contract-authorization-token");
        secrets = new SecretsManagerStandIn();
        deployment.secretValues().forEach(secrets::put);
        taskRoot = Files.createDirectories(work.resolve("task"));
        LambdaProcess.unzip(JAR, taskRoot);
        LambdaProcess.addHostZstdNative(taskRoot);
    }

    @AfterAll
    void stopEverything() throws Exception {
        for (AutoCloseable c : running.reversed()) {
            c.close();
        }
        for (AutoCloseable c : new AutoCloseable[] {secrets, credentials, aws}) {
            if (c != null) {
                c.close();
            }
        }
    }

    @Test
    void apiFunctionAnswersAnHttpApiEvent() {
        JsonNode health = parse(api().invoke(ApiGatewayStandIn.event("GET", "/health", null,
                Map.of("host", "contract.execute-api.us-east-1.amazonaws.com"), new byte[0])));
        assertEquals(200, health.path("statusCode").asInt(), health.toString());
    }

    @Test
    void apiFunctionServesAnSqsClientSigningWithTheSecretTheTemplateGenerates() {
        try (ApiGatewayStandIn gateway = new ApiGatewayStandIn((event, t) -> api().answer(event), ANSWER_TIMEOUT);
             SqsClient sqs = sqsClient(gateway)) {
            String url = sqs.createQueue(b -> b.queueName("contract-orders")).queueUrl();
            sqs.sendMessage(b -> b.queueUrl(url).messageBody("first message"));
            List<Message> received = sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(1)).messages();
            assertEquals(List.of("first message"), received.stream().map(Message::body).toList());
        }
    }

    @Test
    void apiFunctionStopsGracefullyOnSigtermWithinLambdasShutdownLimit() throws Exception {
        RunningFunction fresh = start("shoal-api", Map.of());
        fresh.invoke(ApiGatewayStandIn.event("GET", "/health", null, Map.of(), new byte[0]));

        // Lambda allows 2 s in all before SIGKILL (300 ms of them for the runtime when an extension is registered)
        assertTrue(fresh.process().terminate(Duration.ofSeconds(2)), "still running 2 s after SIGTERM\n" + fresh.process().output());
        assertTrue(fresh.process().output().contains("graceful stop: no engine call in flight"), fresh.process().output());
    }

    @Test
    void functionsGetTheirCredentialsFromTheContainerEndpointOnly() {
        api().invoke(ApiGatewayStandIn.event("GET", "/health", null, Map.of(), new byte[0]));
        assertTrue(credentials.served() > 0, "no function fetched container credentials");
        assertEquals(Set.of(EmbeddedAws.ACCESS_KEY), secrets.signers(), "secrets were read with other credentials");
    }

    @Test
    void dispatcherAnswersTheStreamRecordsOfACommitAndItsSchedule() {
        try (ApiGatewayStandIn gateway = new ApiGatewayStandIn((event, t) -> api().answer(event), ANSWER_TIMEOUT);
             SqsClient sqs = sqsClient(gateway)) {
            String url = sqs.createQueue(b -> b.queueName("contract-stream")).queueUrl();
            sqs.sendMessage(b -> b.queueUrl(url).messageBody("to the stream"));
        }
        String streamEvent;
        try (DynamoDbStreamsClient streams = DynamoDbStreamsClient.builder().endpointOverride(aws.dynamoEndpoint())
                .region(EmbeddedAws.REGION).credentialsProvider(aws.credentials())
                .httpClient(UrlConnectionHttpClient.create()).build()) {
            streamEvent = StreamEvents.of(streams, new ShoalTables("shoal").logTable());
        }
        assertTrue(parse(streamEvent).path("Records").size() > 0, "the commit left no stream record");

        RunningFunction dispatcher = start("shoal-dispatcher", Map.of());
        JsonNode answer = parse(dispatcher.invoke(streamEvent));
        assertTrue(answer.path("batchItemFailures").isArray() && answer.path("batchItemFailures").isEmpty(), answer.toString());
        dispatcher.invoke(SCHEDULE_EVENT);
    }

    @Test
    void janitorAnswersItsScheduleEvent() {
        RunningFunction janitor = start("shoal-janitor", Map.of());
        janitor.invoke(SCHEDULE_EVENT);
        assertTrue(janitor.process().output().contains("janitor run finished"), janitor.process().output());
    }

    @Test
    void aFunctionWhoseSecretCannotBeReadReportsAnInitErrorToTheRuntime() {
        RunningFunction broken = start("shoal-api", Map.of("SHOAL_SQS_CREDENTIALS_SECRET_ARN",
                "arn:aws:secretsmanager:us-east-1:123456789012:secret:missing-AbC123"));
        String error = broken.initErrorOrAnswer(ApiGatewayStandIn.event("GET", "/health", null, Map.of(), new byte[0]));
        assertTrue(error.contains("ExceptionInInitializerError"), error);
        assertTrue(broken.process().output().contains("ResourceNotFoundException"), broken.process().output());
    }

    @Test
    void theGeneratedSqsSecretHasTheSharedShape() {
        JsonNode secret = parse(sqsSecret());
        assertEquals(Set.of(SqsCredentialsSecret.ACCESS_KEY_ID, SqsCredentialsSecret.SECRET_ACCESS_KEY),
                fieldNames(secret));
        assertEquals("shoal-sqs", secret.path(SqsCredentialsSecret.ACCESS_KEY_ID).asText());
        assertEquals(Optional.of(secret.path(SqsCredentialsSecret.SECRET_ACCESS_KEY).asText()),
                AccessKeys.fromJson(sqsSecret()).secretFor("shoal-sqs"), "the function's parser reads another shape");
    }

    @Test
    void theLambdaJarCarriesTheArm64NativeOnlyAndNoLocalOnlyClasses() throws Exception {
        List<String> entries;
        try (var zip = new java.util.zip.ZipFile(JAR.toFile())) {
            entries = zip.stream().map(java.util.zip.ZipEntry::getName).toList();
        }
        List<String> natives = entries.stream().filter(e -> e.endsWith(".so") || e.endsWith(".dylib") || e.endsWith(".dll")).toList();
        assertTrue(natives.size() == 1 && natives.getFirst().matches("linux/aarch64/libzstd-jni-[0-9.-]+\\.so"), natives.toString());
        for (String localOnly : List.of("dev/shoal/functions/local/", "dev/shoal/storage/local/",
                "dev/shoal/storage/metering/", "org/gaul/",
                "com/amazonaws/services/dynamodbv2/local/")) {
            assertTrue(entries.stream().noneMatch(e -> e.startsWith(localOnly)), localOnly + " is in the Lambda jar");
        }
    }

    private RunningFunction api() {
        if (api == null) {
            api = start("shoal-api", Map.of());
        }
        return api;
    }

    private RunningFunction start(String name, Map<String, String> override) {
        SynthesizedDeployment.Function function = deployment.function(name);
        LambdaRuntimeApi runtime = new LambdaRuntimeApi("arn:aws:lambda:us-east-1:123456789012:function:" + name + ":live");
        running.add(runtime);
        Map<String, String> env = new HashMap<>(credentials.environment());
        env.put("AWS_ENDPOINT_URL_DYNAMODB", aws.dynamoEndpoint().toString());
        env.put("AWS_ENDPOINT_URL_S3", aws.s3Endpoint().toString());
        env.put("AWS_ENDPOINT_URL_SECRETS_MANAGER", secrets.endpoint().toString());
        Map<String, String> functionEnv = new HashMap<>(function.environment());
        functionEnv.putAll(override);
        LambdaProcess process = LambdaProcess.start(taskRoot, work, new SynthesizedDeployment.Function(function.name(),
                function.handler(), function.memoryMb(), function.timeoutSeconds(), functionEnv), runtime.address(), env);
        running.add(process);
        return new RunningFunction(runtime, process, Duration.ofSeconds(function.timeoutSeconds()));
    }

    private SqsClient sqsClient(ApiGatewayStandIn gateway) {
        JsonNode secret = parse(sqsSecret());
        return SqsClient.builder().endpointOverride(gateway.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        secret.path(SqsCredentialsSecret.ACCESS_KEY_ID).asText(),
                        secret.path(SqsCredentialsSecret.SECRET_ACCESS_KEY).asText())))
                .httpClient(UrlConnectionHttpClient.builder().socketTimeout(ANSWER_TIMEOUT).build())
                .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD).apiCallTimeout(ANSWER_TIMEOUT))
                .build();
    }

    /** The SQS secret as Secrets Manager generated it from the template. */
    private String sqsSecret() {
        String arn = deployment.function("shoal-api").environment().get("SHOAL_SQS_CREDENTIALS_SECRET_ARN");
        return deployment.secretValues().get(arn);
    }

    private static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new java.util.TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** A function under the runtime client, and the Runtime API it polls. */
    private record RunningFunction(LambdaRuntimeApi runtime, LambdaProcess process, Duration timeout) {

        /** Sends an event and returns the function's response; fails on an error, an init error or a dead process. */
        String invoke(String event) {
            LambdaRuntimeApi.Answer answer = answer(event);
            if (answer.error()) {
                throw new AssertionError("the function answered an error: " + answer.body() + "\n" + process.output());
            }
            return answer.body();
        }

        LambdaRuntimeApi.Answer answer(String event) {
            var future = runtime.invoke(event, timeout);
            long deadline = System.nanoTime() + ANSWER_TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                try {
                    return future.get(250, TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.TimeoutException notYet) {
                    if (runtime.initError().isDone()) {
                        throw new AssertionError("the function failed to start: " + runtime.initError().join()
                                + "\n" + process.output());
                    }
                    if (!process.alive()) {
                        throw new AssertionError("the runtime process exited\n" + process.output());
                    }
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }
            throw new AssertionError("no answer in " + ANSWER_TIMEOUT + "\n" + process.output());
        }

        /** The init error the function reports, or (if it started after all) what it answered. */
        String initErrorOrAnswer(String event) {
            var future = runtime.invoke(event, timeout);
            try {
                return (String) java.util.concurrent.CompletableFuture.anyOf(runtime.initError(), future.thenApply(a -> "answered: " + a.body()))
                        .get(ANSWER_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new AssertionError("neither an init error nor an answer\n" + process.output(), e);
            }
        }
    }
}
