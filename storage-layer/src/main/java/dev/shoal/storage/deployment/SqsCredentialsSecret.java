package dev.shoal.storage.deployment;

import java.util.regex.Pattern;

/**
 * The one shape of the SQS face's credentials secret, shared by the two sides that must agree
 * on it: the CDK app, which has Secrets Manager generate it, and the api function, which parses
 * it ({@code dev.shoal.functions.api.auth.AccessKeys}). Plain Java with no dependencies, so the
 * CDK app can use it without the engine's.
 *
 * <p>What the stack generates, one pair:
 * <pre>{"accessKeyId": "shoal-sqs", "secretAccessKey": "&lt;40 generated alphanumerics&gt;"}</pre>
 * What the function also accepts, for rotation without downtime (any listed pair is valid):
 * <pre>{"keys": [{"accessKeyId": "a", "secretAccessKey": "..."}, {"accessKeyId": "b", "secretAccessKey": "..."}]}</pre>
 */
public final class SqsCredentialsSecret {

    public static final String ACCESS_KEY_ID = "accessKeyId";
    public static final String SECRET_ACCESS_KEY = "secretAccessKey";
    /** The list of pairs during a rotation. */
    public static final String KEYS = "keys";
    /** Length of the generated secret access key (AWS's own are 40 characters). */
    public static final int GENERATED_SECRET_LENGTH = 40;

    /** What an access key id may be: JSON-safe without escaping, and what SigV4 clients accept. */
    public static final Pattern ACCESS_KEY_ID_PATTERN = Pattern.compile("[A-Za-z0-9_.-]{3,128}");

    private SqsCredentialsSecret() {
    }

    /**
     * The template Secrets Manager completes with a generated {@link #SECRET_ACCESS_KEY}
     * ({@code SecretStringTemplate} of {@code GenerateSecretString}).
     *
     * @throws IllegalArgumentException if the id does not match {@link #ACCESS_KEY_ID_PATTERN}
     */
    public static String template(String accessKeyId) {
        if (accessKeyId == null || !ACCESS_KEY_ID_PATTERN.matcher(accessKeyId).matches()) {
            throw new IllegalArgumentException("an SQS access key id must be 3-128 of [A-Za-z0-9_.-], was '" + accessKeyId + "'");
        }
        return "{\"" + ACCESS_KEY_ID + "\":\"" + accessKeyId + "\"}";
    }
}
