package dev.shoal.infra;

import dev.shoal.storage.deployment.SqsCredentialsSecret;

import dev.shoal.storage.dynamodb.ShoalTables;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.logs.RetentionDays;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Everything a {@link ShoalDeployment} can be told. Build with {@link #builder(Path)}: every
 * setting but the functions jar has a default that suits a first deployment.
 *
 * @param tables           names of the tables; their prefix also names the functions, the alarms,
 *                         the dashboard and the metrics' {@code Deployment} dimension
 * @param functionsJar     the shaded jar of module {@code functions}, used by all three functions
 * @param removalPolicy    what happens to the bucket, tables, secrets and logs when the stack is
 *                         deleted: {@code RETAIN} (default) or {@code DESTROY}
 * @param logRetention     how long the functions' logs are kept
 * @param api              the API function's size
 * @param dispatcher       the dispatcher's size
 * @param janitor          the janitor's size
 * @param janitorRate      how often the janitor runs (whole minutes)
 * @param dispatch         the dispatcher's triggers and targets
 * @param alarms           alarm thresholds and notifications
 * @param bucket           the bucket's lifecycle backstops
 * @param sqsAccessKeyId   the access key id of the generated SQS-face credentials
 * @param operations       throttling, reserved concurrency, versioning, KMS and tracing
 * @param apiManagedInstances where the api function runs: null for standard Lambda with SnapStart,
 *                         else Lambda Managed Instances (see docs/deploy.md for when each is cheaper)
 */
public record ShoalDeploymentProps(
        ShoalTables tables,
        Path functionsJar,
        RemovalPolicy removalPolicy,
        RetentionDays logRetention,
        FunctionSettings api,
        FunctionSettings dispatcher,
        FunctionSettings janitor,
        Duration janitorRate,
        DispatchSettings dispatch,
        AlarmSettings alarms,
        BucketSettings bucket,
        String sqsAccessKeyId,
        OperationsSettings operations,
        ManagedInstancesSettings apiManagedInstances) {

    /**
     * Stricter than {@link ShoalTables}: the prefix also starts function names (64 characters at
     * most, no dots) and alarm names.
     */
    private static final Pattern DEPLOYMENT_PREFIX = Pattern.compile("[A-Za-z0-9_-]{1,40}");
    /** SigV4 puts the key id into the credential scope, which '/' separates. */
    /** API Gateway's HTTP API gives up on an integration after 30 s. */
    private static final Duration API_GATEWAY_TIMEOUT = Duration.ofSeconds(30);

    public ShoalDeploymentProps {
        Objects.requireNonNull(tables, "tables");
        Objects.requireNonNull(functionsJar, "functionsJar");
        Objects.requireNonNull(removalPolicy, "removalPolicy");
        Objects.requireNonNull(logRetention, "logRetention");
        Objects.requireNonNull(api, "api");
        Objects.requireNonNull(dispatcher, "dispatcher");
        Objects.requireNonNull(janitor, "janitor");
        Objects.requireNonNull(janitorRate, "janitorRate");
        Objects.requireNonNull(dispatch, "dispatch");
        Objects.requireNonNull(alarms, "alarms");
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(sqsAccessKeyId, "sqsAccessKeyId");
        Objects.requireNonNull(operations, "operations");
        requireDeploymentPrefix(tables.prefix());
        if (removalPolicy != RemovalPolicy.RETAIN && removalPolicy != RemovalPolicy.DESTROY) {
            throw new IllegalArgumentException("removalPolicy must be RETAIN or DESTROY, was " + removalPolicy);
        }
        if (api.timeout().compareTo(API_GATEWAY_TIMEOUT) > 0) {
            throw new IllegalArgumentException("api timeout must be at most 30 s (API Gateway's integration"
                    + " timeout), was " + api.timeout());
        }
        Rates.requireWholeMinutes("janitorRate", janitorRate);
        if (!SqsCredentialsSecret.ACCESS_KEY_ID_PATTERN.matcher(sqsAccessKeyId).matches()) {
            throw new IllegalArgumentException(
                    "sqsAccessKeyId must be 3-128 of [A-Za-z0-9_.-], was '" + sqsAccessKeyId + "'");
        }
    }

    private static void requireDeploymentPrefix(String prefix) {
        if (prefix == null || !DEPLOYMENT_PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("table prefix must be 1-40 of [A-Za-z0-9_-] (it also starts"
                    + " function names), was '" + prefix + "'");
        }
    }

    /** The prefix of table, function and alarm names. */
    public String prefix() {
        return tables.prefix();
    }

    public static Builder builder(Path functionsJar) {
        return new Builder(functionsJar);
    }

    /** Defaults for a first deployment; see docs/deploy.md for why each. */
    public static final class Builder {
        private final Path functionsJar;
        private String tablePrefix = ShoalTables.withDefaultPrefix().prefix();
        private RemovalPolicy removalPolicy = RemovalPolicy.RETAIN;
        private RetentionDays logRetention = RetentionDays.ONE_MONTH;
        private FunctionSettings api = FunctionSettings.of(1024, 29);
        private FunctionSettings dispatcher = FunctionSettings.of(1024, 300);
        private FunctionSettings janitor = FunctionSettings.of(512, 60);
        private Duration janitorRate = Duration.ofMinutes(1);
        private Duration dispatcherRate = Duration.ofMinutes(1);
        private int streamBatchSize = 100;
        private Duration streamBatchingWindow = Duration.ofSeconds(1);
        private int streamRetryAttempts = 2;
        private String targetNamePrefix;
        private List<String> targetArns = List.of();
        private int deadLetterAlarmThreshold = 0;
        private Duration oldestMessageAgeAlarm = Duration.ofHours(1);
        private int functionErrorAlarmThreshold = 1;
        private int functionThrottleAlarmThreshold = 1;
        private String alarmTopicArn;
        private String orphanPrefix = "orphans/";
        private int orphanExpirationDays = 7;
        private int incompleteUploadDays = 1;
        private String sqsAccessKeyId;
        private int throttleRate = 100;
        private int throttleBurst = 200;
        private Integer apiConcurrency;
        private Integer dispatcherConcurrency;
        private Integer janitorConcurrency;
        private boolean bucketVersioning;
        private boolean customerKey;
        private boolean tracing;
        private ManagedInstancesSettings apiManagedInstances;

        private Builder(Path functionsJar) {
            this.functionsJar = Objects.requireNonNull(functionsJar, "functionsJar");
        }

        public Builder tablePrefix(String tablePrefix) { this.tablePrefix = tablePrefix; return this; }
        public Builder removalPolicy(RemovalPolicy removalPolicy) { this.removalPolicy = removalPolicy; return this; }
        public Builder logRetention(RetentionDays logRetention) { this.logRetention = logRetention; return this; }
        public Builder api(FunctionSettings api) { this.api = api; return this; }
        public Builder dispatcher(FunctionSettings dispatcher) { this.dispatcher = dispatcher; return this; }
        public Builder janitor(FunctionSettings janitor) { this.janitor = janitor; return this; }
        public Builder janitorRate(Duration rate) { this.janitorRate = rate; return this; }
        public Builder dispatcherRate(Duration rate) { this.dispatcherRate = rate; return this; }
        public Builder streamBatchSize(int size) { this.streamBatchSize = size; return this; }
        public Builder streamBatchingWindow(Duration window) { this.streamBatchingWindow = window; return this; }
        public Builder streamRetryAttempts(int attempts) { this.streamRetryAttempts = attempts; return this; }
        /** Default: the table prefix followed by {@code -target-}, e.g. {@code shoal-target-}. */
        public Builder targetNamePrefix(String prefix) { this.targetNamePrefix = prefix; return this; }
        public Builder targetArns(List<String> arns) { this.targetArns = arns; return this; }
        public Builder deadLetterAlarmThreshold(int messages) { this.deadLetterAlarmThreshold = messages; return this; }
        public Builder oldestMessageAgeAlarm(Duration age) { this.oldestMessageAgeAlarm = age; return this; }
        public Builder functionErrorAlarmThreshold(int errors) {
            this.functionErrorAlarmThreshold = errors;
            return this;
        }

        public Builder functionThrottleAlarmThreshold(int throttles) {
            this.functionThrottleAlarmThreshold = throttles;
            return this;
        }

        public Builder alarmTopicArn(String topicArn) { this.alarmTopicArn = topicArn; return this; }
        public Builder orphanPrefix(String prefix) { this.orphanPrefix = prefix; return this; }
        public Builder orphanExpirationDays(int days) { this.orphanExpirationDays = days; return this; }
        public Builder incompleteUploadDays(int days) { this.incompleteUploadDays = days; return this; }
        /** Default: the table prefix followed by {@code -sqs}, e.g. {@code shoal-sqs}. */
        public Builder sqsAccessKeyId(String accessKeyId) { this.sqsAccessKeyId = accessKeyId; return this; }

        /** The HTTP API stage's steady rate (default 100 requests/s) and burst (default 200). */
        public Builder apiThrottle(int ratePerSecond, int burst) {
            this.throttleRate = ratePerSecond;
            this.throttleBurst = burst;
            return this;
        }

        /** Reserved concurrency (default none: a reservation fails to deploy in accounts with too small a limit). */
        public Builder apiConcurrency(Integer reserved) { this.apiConcurrency = reserved; return this; }
        public Builder dispatcherConcurrency(Integer reserved) { this.dispatcherConcurrency = reserved; return this; }
        public Builder janitorConcurrency(Integer reserved) { this.janitorConcurrency = reserved; return this; }
        /** Keep old versions of segments in the bucket (default off). */
        public Builder bucketVersioning(boolean on) { this.bucketVersioning = on; return this; }
        /** A customer-managed KMS key for the bucket, tables and secrets (default off: AWS-owned keys). */
        public Builder customerKey(boolean on) { this.customerKey = on; return this; }
        /** X-Ray active tracing (default off). */
        public Builder tracing(boolean on) { this.tracing = on; return this; }
        /** Runs the api function on Lambda Managed Instances instead of standard Lambda (default: standard). */
        public Builder apiManagedInstances(ManagedInstancesSettings settings) { this.apiManagedInstances = settings; return this; }

        public ShoalDeploymentProps build() {
            // First: the defaults below are derived from it.
            requireDeploymentPrefix(tablePrefix);
            ShoalTables tables = new ShoalTables(tablePrefix);
            return new ShoalDeploymentProps(
                    tables,
                    functionsJar,
                    removalPolicy,
                    logRetention,
                    api,
                    dispatcher,
                    janitor,
                    janitorRate,
                    new DispatchSettings(dispatcherRate, streamBatchSize, streamBatchingWindow, streamRetryAttempts,
                            targetNamePrefix != null ? targetNamePrefix : tablePrefix + "-target-", targetArns),
                    new AlarmSettings(deadLetterAlarmThreshold, oldestMessageAgeAlarm,
                            functionErrorAlarmThreshold, functionThrottleAlarmThreshold, alarmTopicArn),
                    new BucketSettings(orphanPrefix, orphanExpirationDays, incompleteUploadDays),
                    sqsAccessKeyId != null ? sqsAccessKeyId : tablePrefix + "-sqs",
                    new OperationsSettings(throttleRate, throttleBurst, apiConcurrency, dispatcherConcurrency,
                            janitorConcurrency, bucketVersioning, customerKey, tracing),
                    apiManagedInstances);
        }
    }
}
