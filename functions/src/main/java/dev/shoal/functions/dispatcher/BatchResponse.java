package dev.shoal.functions.dispatcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A target's answer, read as a partial batch response:
 * {@code {"batchItemFailures": [{"itemIdentifier": "<messageId>"}]}}.
 *
 * <p>As Lambda reads it for its own event sources: an empty answer, {@code null}, an object
 * without {@code batchItemFailures} or with an empty list mean every message succeeded. Anything
 * else that is not a list of known message ids (not JSON, an unknown or missing id) fails the
 * whole batch, because the dispatcher cannot tell which messages the target handled.
 *
 * @param failed    ids the target reported as failed
 * @param malformed why the answer could not be read, or null
 */
record BatchResponse(Set<String> failed, String malformed) {

    private static final ObjectMapper JSON = new ObjectMapper();

    static BatchResponse parse(byte[] body, Set<String> batchIds) {
        if (body.length == 0 || new String(body, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            return new BatchResponse(Set.of(), null);
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            return malformed("the answer is not JSON");
        }
        if (root == null || root.isNull() || root.isMissingNode()) {
            return new BatchResponse(Set.of(), null);
        }
        if (!root.isObject()) {
            return malformed("the answer is JSON but not an object");
        }
        JsonNode failures = root.get("batchItemFailures");
        if (failures == null || failures.isNull()) {
            return new BatchResponse(Set.of(), null);
        }
        if (!failures.isArray()) {
            return malformed("batchItemFailures is not a list");
        }
        Set<String> failed = new LinkedHashSet<>();
        for (JsonNode f : failures) {
            JsonNode id = f.get("itemIdentifier");
            if (id == null || !id.isTextual() || id.asText().isEmpty()) {
                return malformed("a batchItemFailures entry has no itemIdentifier");
            }
            if (!batchIds.contains(id.asText())) {
                return malformed("batchItemFailures names '" + id.asText() + "', which is not in the batch");
            }
            failed.add(id.asText());
        }
        return new BatchResponse(Set.copyOf(failed), null);
    }

    private static BatchResponse malformed(String why) {
        return new BatchResponse(Set.of(), why);
    }

    boolean isMalformed() {
        return malformed != null;
    }
}
