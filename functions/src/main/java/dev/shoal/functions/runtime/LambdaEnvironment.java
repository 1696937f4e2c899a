package dev.shoal.functions.runtime;

import dev.shoal.functions.api.ApiConfig;
import dev.shoal.functions.api.ApiRouter;
import dev.shoal.functions.api.HttpRequest;
import dev.shoal.functions.api.auth.AccessKeys;
import dev.shoal.storage.ErrorBoundary;
import dev.shoal.storage.ShoalEngine;
import dev.shoal.storage.api.QueueService;
import dev.shoal.storage.dynamodb.ShoalTables;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Builds what a function needs from its environment, once per container:
 * <ul>
 *   <li>{@code SHOAL_TABLE_PREFIX} (default {@code shoal}), {@code SHOAL_BUCKET} (required)</li>
 *   <li>{@code SHOAL_RECEIPT_SECRET_ARN} (required): Secrets Manager secret authenticating receipts</li>
 *   <li>{@code SHOAL_SQS_CREDENTIALS_SECRET_ARN} (optional): access keys of the SQS face, JSON as
 *       {@link AccessKeys#fromJson} reads it; without it the SQS face refuses every request</li>
 *   <li>{@code SHOAL_ACCOUNT_ID} (optional, default the account of the receipt secret's ARN),
 *       {@code SHOAL_PUBLIC_ENDPOINT} (optional, the base of SQS queue URLs)</li>
 *   <li>{@code AWS_REGION}, and the credentials Lambda gives: keys in the environment, or the
 *       container credentials endpoint under SnapStart (see {@link AwsClients})</li>
 * </ul>
 */
public record LambdaEnvironment(Map<String, String> env) {

    /** How long a running copy trusts the secrets it read: a rotation reaches every copy within this. */
    public static final Duration SECRETS_MAX_AGE = Duration.ofMinutes(5);
    /** After a failed re-read, the copy keeps its secrets and tries again this much later. */
    static final Duration SECRETS_RETRY = Duration.ofSeconds(30);

    public static LambdaEnvironment fromSystem() {
        return new LambdaEnvironment(System.getenv());
    }

    /**
     * The API function's router, from the environment and the two secrets. The secrets are
     * re-read every {@link #SECRETS_MAX_AGE} and after a SnapStart restore; a changed value
     * builds a new router (a new engine over the same clients), so rotation reaches running
     * and restored copies. SnapStart hooks are registered: priming before the snapshot, the
     * secrets' expiry after a restore. On SIGTERM the engine calls in flight finish (bounded)
     * before the clients close ({@link GracefulStop}).
     */
    public Supplier<ApiRouter> apiRouter() {
        AwsClients aws = AwsClients.forLambda(region());
        SecretsManagerClient secretsClient = aws.secrets();
        String receiptArn = required("SHOAL_RECEIPT_SECRET_ARN");
        String sqsArn = optional("SHOAL_SQS_CREDENTIALS_SECRET_ARN").orElse(null);
        Refreshing<DeploymentSecrets> secrets = new Refreshing<>(() -> DeploymentSecrets.read(secretsClient, receiptArn, sqsArn),
                Clock.systemUTC(), SECRETS_MAX_AGE, SECRETS_RETRY);
        String account = optional("SHOAL_ACCOUNT_ID").orElseGet(() -> accountOf(receiptArn));
        String publicEndpoint = optional("SHOAL_PUBLIC_ENDPOINT").orElse(null);
        InFlightCalls calls = new InFlightCalls();
        AtomicReference<ShoalEngine> serving = new AtomicReference<>(); // the newest engine: its long polls end at a stop
        Derived<DeploymentSecrets, ApiRouter> routers = new Derived<>(secrets, s -> {
            ShoalEngine engine = engine(aws, ReceiptSecret.decode(s.receiptSecret()));
            serving.set(engine);
            return new ApiRouter(calls.track(QueueService.class, ErrorBoundary.around(engine)),
                    new ApiConfig(account, aws.region().id(), s.sqsCredentials().map(AccessKeys::fromJson).orElse(AccessKeys.NONE),
                            publicEndpoint, Clock.systemUTC()));
        });
        routers.get(); // at init: a function that cannot read its secrets fails to start, not on its first request
        SnapStartHooks.register(() -> prime(routers.get()), secrets::expire);
        // long polls answer at once, the engine calls in flight finish, then the clients close
        GracefulStop.onShutdown(() -> { ShoalEngine e = serving.get(); if (e != null) e.endLongPolls(); }, calls, List.of(secretsClient, aws));
        return routers;
    }

    /** A health check and a queue lookup (DynamoDB round trip, JSON, errors), for the snapshot. */
    static void prime(ApiRouter router) {
        router.handle(new HttpRequest("GET", "/health", null, Map.of(), new byte[0]));
        router.handle(new HttpRequest("GET", "/v1/queues/shoal-snapstart-priming", null, Map.of(), new byte[0]));
    }

    /** The engine alone, for functions that do not serve HTTP (the dispatcher). */
    public ShoalEngine engine() {
        AwsClients aws = AwsClients.forLambda(region());
        try (SecretsManagerClient secrets = aws.secrets()) {
            String secret = secrets.getSecretValue(b -> b.secretId(required("SHOAL_RECEIPT_SECRET_ARN"))).secretString();
            return engine(aws, ReceiptSecret.decode(secret));
        }
    }

    /**
     * An engine for the janitor. Maintenance neither mints nor checks receipts, so the janitor has
     * no permission to read the receipt secret (least privilege, see infra-cdk's AccessPolicies):
     * a random secret that no receipt will ever match stands in for it.
     */
    public ShoalEngine maintenanceEngine() {
        byte[] unusable = new byte[32];
        new java.security.SecureRandom().nextBytes(unusable);
        return engine(AwsClients.forLambda(region()), unusable);
    }

    private ShoalEngine engine(AwsClients aws, byte[] receiptSecret) {
        return ShoalEngine.builder()
                .dynamo(aws.dynamo())
                .s3(aws.s3())
                .tables(new ShoalTables(optional("SHOAL_TABLE_PREFIX").orElse("shoal")))
                .bucket(required("SHOAL_BUCKET"))
                .clock(Clock.systemUTC())
                .receiptSecret(receiptSecret)
                .build();
    }

    private Region region() {
        return Region.of(optional("AWS_REGION").orElseThrow(() -> new IllegalStateException("AWS_REGION is not set")));
    }

    /** arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME */
    static String accountOf(String arn) {
        String[] parts = arn.split(":");
        return parts.length > 4 && !parts[4].isEmpty() ? parts[4] : ApiConfig.DEFAULT_ACCOUNT_ID;
    }

    private String required(String name) {
        return optional(name).orElseThrow(() -> new IllegalStateException("environment variable " + name + " is required"));
    }

    private Optional<String> optional(String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v);
    }

    public LambdaEnvironment {
        Objects.requireNonNull(env, "env");
    }
}
