package dev.shoal.infra;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.logs.RetentionDays;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ContextPropsTest {

    @TempDir
    Path repo;

    @Test
    void withoutContextEveryDefaultApplies() throws IOException {
        Path infra = fakeRepository();

        ShoalDeploymentProps props = read(Map.of(), infra);

        assertEquals(repo.resolve(ContextProps.DEFAULT_FUNCTIONS_JAR), props.functionsJar());
        assertEquals("shoal", props.prefix());
        assertEquals(RemovalPolicy.RETAIN, props.removalPolicy());
        assertEquals(RetentionDays.ONE_MONTH, props.logRetention());
        assertEquals(FunctionSettings.of(1024, 29), props.api());
        assertEquals("shoal-target-", props.dispatch().targetNamePrefix());
        assertEquals("shoal-sqs", props.sqsAccessKeyId());
        assertNull(props.alarms().topicArn());
    }

    @Test
    void operationsSettingsAreReadAndDefaultToThrottlingOnly() throws IOException {
        Path infra = fakeRepository();

        OperationsSettings defaults = read(Map.of(), infra).operations();
        assertEquals(new OperationsSettings(100, 200, null, null, null, false, false, false), defaults);

        OperationsSettings given = read(Map.of("apiThrottleRate", "50", "apiThrottleBurst", 60,
                "janitorReservedConcurrency", "1", "bucketVersioning", "true", "customerKey", true,
                "tracing", "false"), infra).operations();
        assertEquals(new OperationsSettings(50, 60, null, null, 1, true, true, false), given);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> read(Map.of("tracing", "yes"), infra));
        assertEquals("context tracing must be true or false, was 'yes'", e.getMessage());
    }

    @Test
    void stringsFromTheCommandLineAndNumbersFromCdkJsonAreBothRead() throws IOException {
        Path infra = fakeRepository();

        ShoalDeploymentProps props = read(Map.ofEntries(
                Map.entry("tablePrefix", "shoal-prod"),
                Map.entry("functionsJar", "build/fn.jar"),
                Map.entry("removalPolicy", "destroy"),
                Map.entry("logRetentionDays", 14),
                Map.entry("apiMemoryMb", "2048"),
                Map.entry("apiTimeoutSeconds", 25),
                Map.entry("janitorTimeoutSeconds", "120"),
                Map.entry("janitorRateMinutes", 5),
                Map.entry("dispatcherRateMinutes", "2"),
                Map.entry("streamBatchSize", 500),
                Map.entry("streamBatchingWindowSeconds", "10"),
                Map.entry("dispatchTargetArns", "arn:aws:lambda:eu-west-1:123456789012:function:a, "
                        + "arn:aws:lambda:eu-west-1:123456789012:function:b"),
                Map.entry("oldestMessageAgeAlarmSeconds", 600),
                Map.entry("alarmTopicArn", "arn:aws:sns:eu-west-1:123456789012:ops"),
                Map.entry("orphanExpirationDays", "3")), infra);

        assertEquals(infra.resolve("build/fn.jar"), props.functionsJar());
        assertEquals("shoal-prod", props.prefix());
        assertEquals(RemovalPolicy.DESTROY, props.removalPolicy());
        assertEquals(RetentionDays.TWO_WEEKS, props.logRetention());
        assertEquals(FunctionSettings.of(2048, 25), props.api());
        assertEquals(FunctionSettings.of(512, 120), props.janitor());
        assertEquals(Duration.ofMinutes(5), props.janitorRate());
        assertEquals(Duration.ofMinutes(2), props.dispatch().scheduleRate());
        assertEquals(500, props.dispatch().streamBatchSize());
        assertEquals(Duration.ofSeconds(10), props.dispatch().streamBatchingWindow());
        assertEquals(List.of("arn:aws:lambda:eu-west-1:123456789012:function:a",
                "arn:aws:lambda:eu-west-1:123456789012:function:b"), props.dispatch().targetArns());
        assertEquals("shoal-prod-target-", props.dispatch().targetNamePrefix());
        assertEquals(Duration.ofMinutes(10), props.alarms().oldestMessageAge());
        assertEquals("arn:aws:sns:eu-west-1:123456789012:ops", props.alarms().topicArn());
        assertEquals(3, props.bucket().orphanExpirationDays());
        assertEquals("shoal-prod-sqs", props.sqsAccessKeyId());
    }

    @Test
    void aListInCdkJsonIsReadAsAList() throws IOException {
        ShoalDeploymentProps props = read(Map.of("dispatchTargetArns",
                List.of("arn:aws:lambda:eu-west-1:123456789012:function:a")), fakeRepository());

        assertEquals(List.of("arn:aws:lambda:eu-west-1:123456789012:function:a"), props.dispatch().targetArns());
    }

    @Test
    void badValuesAreRejectedNamingTheKey() throws IOException {
        Path infra = fakeRepository();

        assertRejected("apiMemoryMb", Map.of("apiMemoryMb", "lots"), infra);
        assertRejected("removalPolicy", Map.of("removalPolicy", "SNAPSHOT"), infra);
        assertRejected("logRetentionDays", Map.of("logRetentionDays", 10), infra);
        assertRejected("api timeout", Map.of("apiTimeoutSeconds", 60), infra);
        assertRejected("streamBatchSize", Map.of("streamBatchSize", 0), infra);
        assertRejected("table prefix", Map.of("tablePrefix", "has.dot"), infra);
        assertRejected("janitorRate", Map.of("janitorRateMinutes", 0), infra);
    }

    @Test
    void repositoryRootIsFoundAboveTheInfraFolder() throws IOException {
        Path infra = fakeRepository();

        assertEquals(repo.toAbsolutePath(), ContextProps.repositoryRoot(infra));
    }

    private static void assertRejected(String named, Map<String, ?> context, Path infra) {
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class, () -> read(context, infra));
        assertTrue(thrown.getMessage().contains(named), thrown.getMessage());
    }

    private static ShoalDeploymentProps read(Map<String, ?> context, Path workingDir) {
        App app = new App(AppProps.builder().context(Map.copyOf(context)).build());
        return ContextProps.read(app.getNode(), workingDir);
    }

    /** The repository's shape that the default jar path depends on. */
    private Path fakeRepository() throws IOException {
        Files.writeString(repo.resolve("pom.xml"), "<project/>");
        Files.createDirectories(repo.resolve("functions"));
        return Files.createDirectories(repo.resolve("infra-cdk"));
    }
}
