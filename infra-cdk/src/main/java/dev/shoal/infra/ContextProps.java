package dev.shoal.infra;

import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Node;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Reads {@link ShoalDeploymentProps} from CDK context: {@code cdk.json}'s {@code "context"} or
 * {@code cdk synth -c key=value}. Keys carry their unit ({@code apiTimeoutSeconds}); values from
 * {@code -c} arrive as strings, values from {@code cdk.json} as JSON numbers or lists, and both
 * are accepted. docs/deploy.md lists every key.
 */
public final class ContextProps {

    /** Where the functions module leaves its shaded jar, relative to the repository root. */
    public static final String DEFAULT_FUNCTIONS_JAR = "functions/target/shoal-functions-lambda.jar";

    /** Log retention in days: CloudWatch Logs accepts only these. */
    private static final Map<Integer, RetentionDays> RETENTION = Map.ofEntries(
            Map.entry(1, RetentionDays.ONE_DAY), Map.entry(3, RetentionDays.THREE_DAYS),
            Map.entry(5, RetentionDays.FIVE_DAYS), Map.entry(7, RetentionDays.ONE_WEEK),
            Map.entry(14, RetentionDays.TWO_WEEKS), Map.entry(30, RetentionDays.ONE_MONTH),
            Map.entry(60, RetentionDays.TWO_MONTHS), Map.entry(90, RetentionDays.THREE_MONTHS),
            Map.entry(180, RetentionDays.SIX_MONTHS), Map.entry(365, RetentionDays.ONE_YEAR),
            Map.entry(731, RetentionDays.TWO_YEARS), Map.entry(1827, RetentionDays.FIVE_YEARS),
            Map.entry(3653, RetentionDays.TEN_YEARS));

    private final Node node;

    private ContextProps(Node node) {
        this.node = node;
    }

    /**
     * @param node       the app's node, whose context is read
     * @param workingDir where {@code cdk} runs (the {@code infra-cdk} folder): a relative
     *                   {@code functionsJar} is taken from here, the default from the repository
     *                   root above it
     */
    public static ShoalDeploymentProps read(Node node, Path workingDir) {
        return new ContextProps(node).props(workingDir);
    }

    private ShoalDeploymentProps props(Path workingDir) {
        Path jar = string("functionsJar").map(workingDir::resolve)
                .orElseGet(() -> repositoryRoot(workingDir).resolve(DEFAULT_FUNCTIONS_JAR));
        ShoalDeploymentProps.Builder b = ShoalDeploymentProps.builder(jar.normalize());
        string("tablePrefix").ifPresent(b::tablePrefix);
        string("removalPolicy").ifPresent(v -> b.removalPolicy(removalPolicy(v)));
        integer("logRetentionDays").ifPresent(v -> b.logRetention(retention(v)));
        ShoalDeploymentProps defaults = b.build();
        b.api(function("api", defaults.api()));
        b.dispatcher(function("dispatcher", defaults.dispatcher()));
        b.janitor(function("janitor", defaults.janitor()));
        set("janitorRateMinutes", b::janitorRate, Duration::ofMinutes);
        set("dispatcherRateMinutes", b::dispatcherRate, Duration::ofMinutes);
        set("streamBatchSize", b::streamBatchSize, Long::intValue);
        set("streamBatchingWindowSeconds", b::streamBatchingWindow, Duration::ofSeconds);
        set("streamRetryAttempts", b::streamRetryAttempts, Long::intValue);
        string("dispatchTargetPrefix").ifPresent(b::targetNamePrefix);
        list("dispatchTargetArns").ifPresent(b::targetArns);
        set("deadLetterAlarmThreshold", b::deadLetterAlarmThreshold, Long::intValue);
        set("oldestMessageAgeAlarmSeconds", b::oldestMessageAgeAlarm, Duration::ofSeconds);
        set("functionErrorAlarmThreshold", b::functionErrorAlarmThreshold, Long::intValue);
        set("functionThrottleAlarmThreshold", b::functionThrottleAlarmThreshold, Long::intValue);
        string("alarmTopicArn").ifPresent(b::alarmTopicArn);
        string("orphanPrefix").ifPresent(b::orphanPrefix);
        set("orphanExpirationDays", b::orphanExpirationDays, Long::intValue);
        set("incompleteUploadDays", b::incompleteUploadDays, Long::intValue);
        string("sqsAccessKeyId").ifPresent(b::sqsAccessKeyId);
        OperationsSettings ops = defaults.operations();
        b.apiThrottle(integer("apiThrottleRate").map(Long::intValue).orElse(ops.throttleRate()),
                integer("apiThrottleBurst").map(Long::intValue).orElse(ops.throttleBurst()));
        set("apiReservedConcurrency", b::apiConcurrency, Long::intValue);
        set("dispatcherReservedConcurrency", b::dispatcherConcurrency, Long::intValue);
        set("janitorReservedConcurrency", b::janitorConcurrency, Long::intValue);
        bool("bucketVersioning").ifPresent(b::bucketVersioning);
        bool("customerKey").ifPresent(b::customerKey);
        bool("tracing").ifPresent(b::tracing);
        list("apiManagedInstancesSubnetIds").ifPresent(subnets -> b.apiManagedInstances(new ManagedInstancesSettings(subnets,
                list("apiManagedInstancesSecurityGroupIds").orElse(List.of()),
                integer("apiManagedInstancesMaxConcurrency").map(Long::intValue).orElse(ManagedInstancesSettings.DEFAULT_MAX_CONCURRENCY),
                integer("apiManagedInstancesMaxVCpus").map(Long::intValue).orElse(ManagedInstancesSettings.DEFAULT_MAX_VCPUS))));
        return b.build();
    }

    /** {@code <name>MemoryMb} and {@code <name>TimeoutSeconds}. */
    private FunctionSettings function(String name, FunctionSettings defaults) {
        int memory = integer(name + "MemoryMb").map(Long::intValue).orElse(defaults.memoryMb());
        Duration timeout = integer(name + "TimeoutSeconds").map(Duration::ofSeconds).orElse(defaults.timeout());
        return new FunctionSettings(memory, timeout);
    }

    private <T> void set(String key, Consumer<T> setter, Function<Long, T> convert) {
        integer(key).map(convert).ifPresent(setter);
    }

    private Optional<String> string(String key) {
        Object value = node.tryGetContext(key);
        if (value == null) {
            return Optional.empty();
        }
        String text = value.toString().trim();
        return text.isEmpty() ? Optional.empty() : Optional.of(text);
    }

    private Optional<Boolean> bool(String key) {
        return string(key).map(text -> switch (text) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("context " + key + " must be true or false, was '" + text + "'");
        });
    }

    private Optional<Long> integer(String key) {
        Object value = node.tryGetContext(key);
        if (value instanceof Number number) {
            if (number.doubleValue() != Math.rint(number.doubleValue())) {
                throw new IllegalArgumentException("context " + key + " must be a whole number, was " + value);
            }
            return Optional.of(number.longValue());
        }
        return string(key).map(text -> {
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("context " + key + " must be a whole number, was '" + text + "'");
            }
        });
    }

    /** A JSON list in cdk.json, or a comma-separated string from -c. */
    private Optional<List<String>> list(String key) {
        Object value = node.tryGetContext(key);
        if (value == null) {
            return Optional.empty();
        }
        List<String> items = new ArrayList<>();
        Iterable<?> parts = value instanceof List<?> l ? l : List.of(value.toString().split(","));
        for (Object part : parts) {
            String item = part.toString().trim();
            if (!item.isEmpty()) {
                items.add(item);
            }
        }
        return Optional.of(items);
    }

    private static RemovalPolicy removalPolicy(String value) {
        return switch (value.toUpperCase(Locale.ROOT)) {
            case "RETAIN" -> RemovalPolicy.RETAIN;
            case "DESTROY" -> RemovalPolicy.DESTROY;
            default -> throw new IllegalArgumentException(
                    "context removalPolicy must be RETAIN or DESTROY, was '" + value + "'");
        };
    }

    private static RetentionDays retention(long days) {
        RetentionDays retention = RETENTION.get((int) days);
        if (retention == null || days != (int) days) {
            throw new IllegalArgumentException("context logRetentionDays must be one of "
                    + RETENTION.keySet().stream().sorted().toList() + ", was " + days);
        }
        return retention;
    }

    /** The nearest folder at or above {@code dir} with the parent pom and the functions module. */
    static Path repositoryRoot(Path dir) {
        for (Path p = dir.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("pom.xml")) && Files.isDirectory(p.resolve("functions"))) {
                return p;
            }
        }
        return dir.toAbsolutePath();
    }
}
