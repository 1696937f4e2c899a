package dev.shoal.functions.api.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shoal.functions.api.Json;
import dev.shoal.storage.deployment.SqsCredentialsSecret;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The access keys the SQS face accepts: access key id to secret key. Read from a JSON secret
 * in one of three shapes; the first is what the CDK app generates, the field names are
 * {@link SqsCredentialsSecret}'s, shared with it:
 * <pre>
 * {"accessKeyId": "shoal", "secretAccessKey": "..."}
 * [{"accessKeyId": "a", "secretAccessKey": "..."}, {"accessKeyId": "b", "secretAccessKey": "..."}]
 * {"keys": [ ...the same objects... ]}
 * </pre>
 */
public record AccessKeys(Map<String, String> secretsById) {

    /** What the local stack accepts unless configured otherwise, as LocalStack and ElasticMQ do. */
    public static final AccessKeys LOCAL_DEFAULT = new AccessKeys(Map.of("test", "test"));

    public AccessKeys {
        secretsById = Map.copyOf(secretsById);
    }

    /** No keys: every signed request is refused (the SQS face is off). */
    public static final AccessKeys NONE = new AccessKeys(Map.of());

    public Optional<String> secretFor(String accessKeyId) {
        return Optional.ofNullable(secretsById.get(accessKeyId));
    }

    public static AccessKeys fromJson(String json) {
        JsonNode root = Json.tree(json.getBytes(StandardCharsets.UTF_8));
        JsonNode list = root.isArray() ? root : root.has(SqsCredentialsSecret.KEYS) ? root.get(SqsCredentialsSecret.KEYS) : null;
        Map<String, String> keys = new LinkedHashMap<>();
        if (list != null) {
            list.forEach(k -> put(keys, k));
        } else {
            put(keys, root);
        }
        return new AccessKeys(keys);
    }

    private static void put(Map<String, String> keys, JsonNode k) {
        JsonNode id = k.get(SqsCredentialsSecret.ACCESS_KEY_ID);
        JsonNode secret = k.get(SqsCredentialsSecret.SECRET_ACCESS_KEY);
        if (id == null || secret == null || !id.isTextual() || !secret.isTextual()) {
            throw new IllegalArgumentException("each access key needs accessKeyId and secretAccessKey strings");
        }
        keys.put(id.textValue(), secret.textValue());
    }

    @Override
    public String toString() {
        return "AccessKeys" + secretsById.keySet(); // never the secrets
    }
}
