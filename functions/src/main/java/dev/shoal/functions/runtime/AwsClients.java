package dev.shoal.functions.runtime;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

import java.util.Objects;

/**
 * The SDK clients of one function container, built the one way every function builds them:
 * the region Lambda sets, the url-connection HTTP client (the smallest and quickest to start,
 * no natives) shared by all of them, and credentials from the SDK's default chain.
 *
 * <p>Why the default chain and not {@code EnvironmentVariableCredentialsProvider}: a plain
 * Lambda function gets {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}/{@code
 * AWS_SESSION_TOKEN}, but a SnapStart function gets none of them: it gets {@code
 * AWS_CONTAINER_CREDENTIALS_FULL_URI} and {@code AWS_CONTAINER_AUTHORIZATION_TOKEN}, and must
 * fetch (and refresh) its credentials from that endpoint. The default chain covers both, in
 * that order. One provider is shared, so the container credentials are fetched once and
 * refreshed before they expire, not per client.
 *
 * <p>Endpoints are the SDK's: {@code AWS_ENDPOINT_URL_DYNAMODB}, {@code AWS_ENDPOINT_URL_S3},
 * {@code AWS_ENDPOINT_URL_SECRETS_MANAGER} (or {@code AWS_ENDPOINT_URL}) point a client
 * elsewhere, which the runtime contract test does; Lambda sets none of them.
 */
public final class AwsClients implements AutoCloseable {

    private final Region region;
    private final AwsCredentialsProvider credentials;
    private final SdkHttpClient http;

    public AwsClients(Region region, AwsCredentialsProvider credentials, SdkHttpClient http) {
        this.region = Objects.requireNonNull(region, "region");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.http = Objects.requireNonNull(http, "http");
    }

    /** For a function in AWS Lambda (or anything that looks like it): the default chain and url-connection HTTP. */
    public static AwsClients forLambda(Region region) {
        return new AwsClients(region, defaultCredentials(), UrlConnectionHttpClient.create());
    }

    /** The SDK's default chain: environment keys, web identity, profile, container endpoint, instance metadata. */
    public static AwsCredentialsProvider defaultCredentials() {
        return DefaultCredentialsProvider.builder().build();
    }

    public Region region() {
        return region;
    }

    public AwsCredentialsProvider credentials() {
        return credentials;
    }

    public DynamoDbClient dynamo() {
        return DynamoDbClient.builder().region(region).httpClient(http).credentialsProvider(credentials).build();
    }

    public S3Client s3() {
        return S3Client.builder().region(region).httpClient(http).credentialsProvider(credentials).build();
    }

    public SecretsManagerClient secrets() {
        return SecretsManagerClient.builder().region(region).httpClient(http).credentialsProvider(credentials).build();
    }

    /** Closes the shared HTTP client; clients built here stop working. */
    @Override
    public void close() {
        http.close();
    }
}
