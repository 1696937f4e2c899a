package dev.shoal.functions.runtime;

import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

import java.util.Objects;
import java.util.Optional;

/**
 * The deployment's secrets as Secrets Manager holds them, read together so a function builds
 * its engine and API from one consistent pair.
 *
 * @param receiptSecret  the receipt MAC key's text ({@link ReceiptSecret#decode} turns it into bytes)
 * @param sqsCredentials the SQS face's access keys as JSON, if the function has that secret
 */
public record DeploymentSecrets(String receiptSecret, Optional<String> sqsCredentials) {

    public DeploymentSecrets {
        Objects.requireNonNull(receiptSecret, "receiptSecret");
        Objects.requireNonNull(sqsCredentials, "sqsCredentials");
    }

    /** Reads both with one client; {@code sqsCredentialsArn} may be null (no SQS face). */
    public static DeploymentSecrets read(SecretsManagerClient secrets, String receiptSecretArn, String sqsCredentialsArn) {
        String receipt = secrets.getSecretValue(b -> b.secretId(receiptSecretArn)).secretString();
        Optional<String> sqs = Optional.ofNullable(sqsCredentialsArn)
                .map(arn -> secrets.getSecretValue(b -> b.secretId(arn)).secretString());
        return new DeploymentSecrets(receipt, sqs);
    }

    @Override
    public String toString() {
        return "DeploymentSecrets[sqsCredentials=" + sqsCredentials.isPresent() + "]"; // never the values
    }
}
