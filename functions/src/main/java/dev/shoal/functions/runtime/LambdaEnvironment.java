package dev.shoal.functions.runtime;

import dev.shoal.functions.api.ApiConfig;
import dev.shoal.functions.api.ApiRouter;
import dev.shoal.functions.api.auth.AccessKeys;
import dev.shoal.storage.ShoalEngine;
import dev.shoal.storage.dynamodb.ShoalTables;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

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

    public static LambdaEnvironment fromSystem() {
        return new LambdaEnvironment(System.getenv());
    }

    public ApiRouter apiRouter() {
        AwsClients aws = AwsClients.forLambda(region());
        String receiptSecret;
        AccessKeys keys;
        try (SecretsManagerClient secrets = aws.secrets()) {
            receiptSecret = secrets.getSecretValue(b -> b.secretId(required("SHOAL_RECEIPT_SECRET_ARN"))).secretString();
            keys = optional("SHOAL_SQS_CREDENTIALS_SECRET_ARN")
                    .map(arn -> AccessKeys.fromJson(secrets.getSecretValue(b -> b.secretId(arn)).secretString()))
                    .orElse(AccessKeys.NONE);
        }
        ShoalEngine engine = engine(aws, ReceiptSecret.decode(receiptSecret));
        String account = optional("SHOAL_ACCOUNT_ID").orElseGet(() -> accountOf(required("SHOAL_RECEIPT_SECRET_ARN")));
        ApiConfig config = new ApiConfig(account, aws.region().id(), keys, optional("SHOAL_PUBLIC_ENDPOINT").orElse(null), Clock.systemUTC());
        return new ApiRouter(engine, config);
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
