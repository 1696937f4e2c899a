package dev.shoal.infra;

import dev.shoal.infra.internal.AccessPolicies;
import dev.shoal.infra.internal.HttpFront;
import dev.shoal.infra.internal.Monitoring;
import dev.shoal.infra.internal.Secrets;
import dev.shoal.infra.internal.ShoalFunction;
import dev.shoal.infra.internal.Storage;
import dev.shoal.infra.internal.Triggers;
import software.amazon.awscdk.Tags;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.constructs.Construct;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * All of Shoal in one construct, to deploy as its own stack ({@link ShoalStack}) or to embed
 * in another: the segment bucket, the log and state tables, the secrets, the api, dispatcher
 * and janitor functions with their triggers and least-privilege roles, the HTTP API, alarms
 * and a dashboard.
 */
public final class ShoalDeployment extends Construct {

    public static final String API_HANDLER = "dev.shoal.functions.api.ApiHandler::handleRequest";
    public static final String DISPATCHER_HANDLER = "dev.shoal.functions.dispatcher.DispatcherHandler::handleRequest";
    public static final String JANITOR_HANDLER = "dev.shoal.functions.janitor.JanitorHandler::handleRequest";

    /** The functions' configuration, read by module {@code functions}. */
    public static final String ENV_TABLE_PREFIX = "SHOAL_TABLE_PREFIX";
    public static final String ENV_BUCKET = "SHOAL_BUCKET";
    public static final String ENV_RECEIPT_SECRET_ARN = "SHOAL_RECEIPT_SECRET_ARN";
    public static final String ENV_SQS_CREDENTIALS_SECRET_ARN = "SHOAL_SQS_CREDENTIALS_SECRET_ARN";

    private final Key key;
    private final Storage storage;
    private final Secrets secrets;
    private final ShoalFunction api;
    private final ShoalFunction dispatcher;
    private final ShoalFunction janitor;
    private final HttpFront front;
    private final Monitoring monitoring;

    public ShoalDeployment(Construct scope, String id, ShoalDeploymentProps props) {
        super(scope, id);
        String prefix = props.prefix();
        OperationsSettings ops = props.operations();
        this.key = ops.customerKey()
                ? Key.Builder.create(this, "Key").description("Shoal " + prefix + ": bucket, tables and secrets")
                        .enableKeyRotation(true).removalPolicy(props.removalPolicy()).build()
                : null;
        this.storage = new Storage(this, "Storage", props.tables(), props.bucket(), props.removalPolicy(),
                ops.bucketVersioning(), key);
        this.secrets = new Secrets(this, "Secrets", props.sqsAccessKeyId(), props.removalPolicy(), key);

        // One asset for the three functions: the same jar, three handlers.
        Code code = Code.fromAsset(existingJar(props.functionsJar()).toString());
        // Sorted: Map.of's order changes from run to run, and a reordered environment would
        // publish a new version (and take a new SnapStart snapshot) for nothing.
        Map<String, String> common = new TreeMap<>(Map.of(
                ENV_TABLE_PREFIX, prefix,
                ENV_BUCKET, storage.bucket().getBucketName(),
                ENV_RECEIPT_SECRET_ARN, secrets.receiptKey().getSecretArn()));
        Map<String, String> apiEnvironment = new TreeMap<>(common);
        apiEnvironment.put(ENV_SQS_CREDENTIALS_SECRET_ARN, secrets.sqsCredentials().getSecretArn());

        this.api = function(props, code, "Api", new ShoalFunction.Spec(prefix + "-api", API_HANDLER,
                "Shoal HTTP API: native JSON (/v1) and SQS JSON protocol", props.api(), apiEnvironment,
                ops.apiConcurrency(), ops.tracing(), props.apiManagedInstances()));
        this.dispatcher = function(props, code, "Dispatcher", new ShoalFunction.Spec(prefix + "-dispatcher",
                DISPATCHER_HANDLER, "Shoal dispatcher: pushes messages to subscriptions' target functions",
                props.dispatcher(), common, ops.dispatcherConcurrency(), ops.tracing(), null));
        this.janitor = function(props, code, "Janitor", new ShoalFunction.Spec(prefix + "-janitor", JANITOR_HANDLER,
                "Shoal janitor: retention, orphan segments, expired state, metrics", props.janitor(), common,
                ops.janitorConcurrency(), ops.tracing(), null));

        AccessPolicies access = new AccessPolicies(storage);
        access.api(api, secrets);
        access.dispatcher(dispatcher, secrets, props.dispatch());
        access.janitor(janitor);
        if (key != null) {
            // S3 objects, table items, the log stream and the secrets are all under the key
            for (ShoalFunction f : List.of(api, dispatcher, janitor)) {
                key.grantEncryptDecrypt(f.role());
            }
        }

        Triggers triggers = new Triggers(this, "Triggers", dispatcher, janitor, storage.logTable(),
                props.janitorRate(), props.dispatch(), props.removalPolicy());
        this.front = new HttpFront(this, "Http", prefix + "-api", api, ops, props.logRetention(), props.removalPolicy());

        Map<String, ShoalFunction> functions = new LinkedHashMap<>();
        functions.put("api", api);
        functions.put("dispatcher", dispatcher);
        functions.put("janitor", janitor);
        this.monitoring = new Monitoring(this, "Monitoring", new Monitoring.Sources(prefix, front.httpApi(),
                functions, dispatcher, janitor, props.janitorRate(), List.of(storage.logTable(), storage.stateTable()),
                triggers.streamFailures()), props.alarms());

        Tags.of(this).add("shoal:deployment", prefix);
    }

    public Bucket bucket() {
        return storage.bucket();
    }

    public Table logTable() {
        return storage.logTable();
    }

    public Table stateTable() {
        return storage.stateTable();
    }

    public HttpApi httpApi() {
        return front.httpApi();
    }

    public Secret sqsCredentials() {
        return secrets.sqsCredentials();
    }

    public Secret receiptKey() {
        return secrets.receiptKey();
    }

    public ShoalFunction api() {
        return api;
    }

    public ShoalFunction dispatcher() {
        return dispatcher;
    }

    public ShoalFunction janitor() {
        return janitor;
    }

    /** The customer-managed key, if {@code customerKey} asked for one. */
    public java.util.Optional<Key> key() {
        return java.util.Optional.ofNullable(key);
    }

    public List<Alarm> alarms() {
        return monitoring.alarms();
    }

    /** The topic every alarm notifies: {@code alarmTopicArn}'s, or one made by the stack. */
    public software.amazon.awscdk.services.sns.ITopic alarmTopic() {
        return monitoring.topic();
    }

    public Dashboard dashboard() {
        return monitoring.dashboard();
    }

    private ShoalFunction function(ShoalDeploymentProps props, Code code, String id, ShoalFunction.Spec spec) {
        return new ShoalFunction(this, id, spec, code, props.logRetention(), props.removalPolicy());
    }

    /** Fails with what to do, rather than CDK's bare "cannot find asset". */
    private static Path existingJar(Path jar) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("functions jar not found at " + jar.toAbsolutePath()
                    + ": build it with `mvn -B -pl functions -am package -DskipTests` in the repository root,"
                    + " or pass -c functionsJar=PATH");
        }
        return jar;
    }
}
