package dev.shoal.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/**
 * The native API over HTTP, for the commands: one JSON call in, one JSON value (or an exit-coded
 * {@link CliException}) out. With credentials, each request is signed with SigV4 for
 * {@code execute-api}, as API Gateway's IAM authorization wants, by the AWS SDK's own signer.
 */
final class ApiClient {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> SET_BY_CLIENT = Set.of("host", "content-length", "connection", "expect", "upgrade");

    private final String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AwsCredentialsProvider credentials;
    private final String region;

    /** @param credentials null to send unsigned requests (the local stack) */
    ApiClient(URI endpoint, AwsCredentialsProvider credentials, String region) {
        String b = endpoint.toString();
        this.base = b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
        this.credentials = credentials;
        this.region = region;
    }

    static String path(String... segments) {
        StringBuilder b = new StringBuilder("/v1");
        for (String s : segments) {
            b.append('/').append(URLEncoder.encode(s, StandardCharsets.UTF_8));
        }
        return b.toString();
    }

    JsonNode get(String path) {
        return send("GET", path, null, null);
    }

    JsonNode post(String path, JsonNode body) {
        return send("POST", path, body, null);
    }

    /**
     * One call. Returns the answer's JSON (an empty object for 204).
     *
     * @param header an extra header as {@code name: value}, or null
     * @throws CliException with the API's own message and an exit code by its status
     */
    JsonNode send(String method, String path, JsonNode body, String header) {
        byte[] bytes = body == null ? new byte[0] : body.toString().getBytes(StandardCharsets.UTF_8);
        URI uri = URI.create(base + path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(60))
                .method(method, bytes.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(bytes))
                .header("content-type", "application/json")
                .header("user-agent", "shoal-cli/0.1");
        if (header != null) {
            request.header(header.substring(0, header.indexOf(':')).trim(), header.substring(header.indexOf(':') + 1).trim());
        }
        if (credentials != null) {
            sign(request, method, uri, bytes, header);
        }
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new CliException(CliException.UNAVAILABLE, "cannot reach the Shoal API at " + base + " (" + e + "); start it with "
                    + "./shoal local, or name another one with --endpoint or SHOAL_ENDPOINT");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(CliException.UNAVAILABLE, "interrupted");
        }
        return answer(method, path, response.statusCode(), response.body());
    }

    private static JsonNode answer(String method, String path, int status, byte[] body) {
        JsonNode json;
        try {
            json = body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (IOException | RuntimeException notJson) {
            json = null;
        }
        if (status >= 200 && status < 300 && json != null) {
            return json;
        }
        String what = json == null ? new String(body, StandardCharsets.UTF_8).strip()
                : json.path("code").asText("") + (json.hasNonNull("message") ? ": " + json.path("message").asText() : "");
        String message = method + " " + path + " answered " + status + (what.isEmpty() ? "" : " " + what);
        int code = status == 404 ? CliException.NOT_FOUND : status >= 500 ? CliException.UNAVAILABLE : CliException.REFUSED;
        throw new CliException(code, message);
    }

    private void sign(HttpRequest.Builder request, String method, URI uri, byte[] body, String header) {
        SdkHttpRequest.Builder unsigned = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method)).uri(uri)
                .putHeader("content-type", "application/json");
        if (header != null) {
            unsigned.putHeader(header.substring(0, header.indexOf(':')).trim(), header.substring(header.indexOf(':') + 1).trim());
        }
        SignedRequest signed;
        try {
            signed = AwsV4HttpSigner.create().sign(r -> r
                    .identity(credentials.resolveCredentials())
                    .request(unsigned.build())
                    .payload(ContentStreamProvider.fromByteArrayUnsafe(body))
                    .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "execute-api")
                    .putProperty(AwsV4HttpSigner.REGION_NAME, region));
        } catch (RuntimeException e) {
            throw new CliException(CliException.USAGE, "cannot sign the request: " + e.getMessage()
                    + " (set AWS credentials as for the aws CLI, or pass --no-sign for an endpoint that needs none)");
        }
        signed.request().headers().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!SET_BY_CLIENT.contains(lower) && !lower.equals("content-type") && (header == null
                    || !lower.equals(header.substring(0, header.indexOf(':')).trim().toLowerCase(Locale.ROOT)))) {
                values.forEach(v -> request.header(name, v));
            }
        });
    }

    static ObjectNode object() {
        return JSON.createObjectNode();
    }
}
