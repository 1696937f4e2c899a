package dev.shoal.it;

import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Set;

/**
 * Hand-made SQS requests, signed with the SDK's SigV4 signer and sent over a real socket: for
 * what no SDK sends (bytes that are not UTF-8, oversized receipt handles, the raw answers).
 */
final class RawSqs {

    /** Headers the JDK's HTTP client sets itself and refuses from the caller. */
    private static final Set<String> RESTRICTED = Set.of("host", "content-length", "connection");

    private final URI endpoint;
    private final HttpClient http = HttpClient.newHttpClient();

    RawSqs(URI endpoint) {
        this.endpoint = endpoint;
    }

    /** A JSON-protocol call of {@code action} with {@code body} as its exact bytes. */
    HttpResponse<String> json(String action, byte[] body) {
        return send(Map.of("Content-Type", "application/x-amz-json-1.0", "X-Amz-Target", "AmazonSQS." + action), body);
    }

    /** A query-protocol call: a form-encoded body. */
    HttpResponse<String> form(String body) {
        return send(Map.of("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"), body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    HttpResponse<String> send(Map<String, String> headers, byte[] body) {
        URI target = endpoint.getPath().isEmpty() ? endpoint.resolve("/") : endpoint;
        SdkHttpRequest.Builder b = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(target)
                .putHeader("Host", endpoint.getHost() + ":" + endpoint.getPort());
        headers.forEach(b::putHeader);
        SdkHttpRequest signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsCredentialsIdentity.create("test", "test"))
                .request(b.build())
                .payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "sqs")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")).request();
        HttpRequest.Builder request = HttpRequest.newBuilder(target).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        signed.forEachHeader((name, values) -> {
            if (!RESTRICTED.contains(name.toLowerCase(java.util.Locale.ROOT))) request.header(name, String.join(",", values));
        });
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
