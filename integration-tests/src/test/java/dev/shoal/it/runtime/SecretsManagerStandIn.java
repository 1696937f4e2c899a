package dev.shoal.it.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Secrets Manager's {@code GetSecretValue}, over its JSON protocol ({@code X-Amz-Target:
 * secretsmanager.GetSecretValue}), for the secrets it is given. It records the access key id
 * each request was signed with, so a test can tell which credentials a function used; it does
 * not check signatures.
 */
final class SecretsManagerStandIn implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CREDENTIAL = Pattern.compile("Credential=([^/]+)/");

    private final Map<String, String> secretsByArn = new ConcurrentHashMap<>();
    private final Set<String> signers = ConcurrentHashMap.newKeySet();
    private final LoopbackHttp http = new LoopbackHttp("/", this::handle);

    void put(String arn, String value) {
        secretsByArn.put(arn, value);
    }

    URI endpoint() {
        return http.uri("");
    }

    /** The access key ids that signed requests so far. */
    Set<String> signers() {
        return Set.copyOf(signers);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            Matcher m = CREDENTIAL.matcher(authorization == null ? "" : authorization);
            if (!m.find()) {
                error(exchange, "MissingAuthenticationTokenException", "the request is not signed");
                return;
            }
            signers.add(m.group(1));
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            if (!"secretsmanager.GetSecretValue".equals(target)) {
                error(exchange, "InvalidRequestException", "only GetSecretValue is served here, not " + target);
                return;
            }
            JsonNode request = JSON.readTree(exchange.getRequestBody());
            String id = request.path("SecretId").asText();
            String value = secretsByArn.get(id);
            if (value == null) {
                error(exchange, "ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
                return;
            }
            ObjectNode answer = JSON.createObjectNode()
                    .put("ARN", id)
                    .put("Name", id.substring(id.lastIndexOf(':') + 1))
                    .put("SecretString", value)
                    .put("VersionId", "00000000-0000-0000-0000-000000000001")
                    .put("CreatedDate", 1.7e9);
            answer.putArray("VersionStages").add("AWSCURRENT");
            LoopbackHttp.reply(exchange, 200, "application/x-amz-json-1.1", JSON.writeValueAsString(answer));
        }
    }

    private static void error(HttpExchange exchange, String type, String message) throws IOException {
        LoopbackHttp.reply(exchange, 400, "application/x-amz-json-1.1",
                JSON.createObjectNode().put("__type", type).put("Message", message).toString());
    }

    @Override
    public void close() {
        http.close();
    }
}
