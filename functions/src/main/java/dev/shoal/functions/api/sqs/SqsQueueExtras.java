package dev.shoal.functions.api.sqs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shoal.functions.api.Json;
import dev.shoal.storage.api.NotFoundException;
import dev.shoal.storage.api.QueueService;
import dev.shoal.storage.api.QueueSettings;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * TagQueue, UntagQueue, ListQueueTags, AddPermission, RemovePermission and
 * ListDeadLetterSourceQueues. Tags and the Policy document live in the queue's
 * {@link QueueSettings#faceAttributes()}; permissions are statements of that Policy (as in SQS,
 * where AddPermission writes the queue's policy), stored and returned but not enforced: every
 * configured access key may call every action.
 */
final class SqsQueueExtras {

    static final int MAX_TAGS = 50;
    private static final String TAG_PREFIX = SqsQueueAttributes.STORED_PREFIX + "tag.";
    private static final String POLICY = SqsQueueAttributes.STORED_PREFIX + "Policy";
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9_-]{1,80}");
    private static final int MAX_LIST = 1_000;

    private final QueueService service;

    SqsQueueExtras(QueueService service) {
        this.service = service;
    }

    // ---- tags

    ObjectNode tagQueue(SqsRequest r) {
        String queue = QueueUrls.queueOf(r.requiredString("QueueUrl"));
        Map<String, String> tags = r.stringMap("Tags");
        if (tags.isEmpty()) throw SqsException.missingParameter("Tags");
        update(queue, stored -> withTags(queue, stored, tags));
        return object();
    }

    ObjectNode untagQueue(SqsRequest r) {
        String queue = QueueUrls.queueOf(r.requiredString("QueueUrl"));
        List<String> keys = r.strings("TagKeys");
        if (keys.isEmpty()) throw SqsException.missingParameter("TagKeys");
        update(queue, stored -> {
            keys.forEach(k -> stored.remove(TAG_PREFIX + k));
            return stored;
        });
        return object();
    }

    ObjectNode listQueueTags(SqsRequest r) {
        String queue = QueueUrls.queueOf(r.requiredString("QueueUrl"));
        Map<String, String> tags = tags(service.describeQueue(queue).settings());
        ObjectNode out = object();
        if (!tags.isEmpty()) {
            ObjectNode t = out.putObject("Tags");
            tags.forEach(t::put);
        }
        return out;
    }

    /** The tags among a queue's stored attributes. */
    static Map<String, String> tags(QueueSettings s) {
        Map<String, String> out = new TreeMap<>();
        s.faceAttributes().forEach((k, v) -> {
            if (k.startsWith(TAG_PREFIX)) out.put(k.substring(TAG_PREFIX.length()), v);
        });
        return out;
    }

    /** {@code stored} with {@code tags} added, within SQS's limits (50 tags, keys 1-128, values 0-256 characters). */
    static Map<String, String> withTags(String queue, Map<String, String> stored, Map<String, String> tags) {
        tags.forEach((k, v) -> {
            if (k.isEmpty() || k.length() > 128 || v.length() > 256) {
                throw SqsException.invalidParameterMessage("Tag keys must be 1 to 128 characters and values at most 256 characters; was the key '"
                        + SqsException.echo(k) + "'.");
            }
            stored.put(TAG_PREFIX + k, v);
        });
        long count = stored.keySet().stream().filter(k -> k.startsWith(TAG_PREFIX)).count();
        if (count > MAX_TAGS) {
            throw SqsException.invalidParameterMessage("Too many tags added for queue " + queue + ". A queue has at most " + MAX_TAGS + " tags.");
        }
        return stored;
    }

    // ---- permissions

    ObjectNode addPermission(SqsRequest r, QueueUrls urls) {
        String queue = QueueUrls.queueOf(r.requiredString("QueueUrl"));
        String label = label(r);
        List<String> accounts = r.strings("AWSAccountIds");
        List<String> actions = r.strings("Actions");
        if (accounts.isEmpty()) throw SqsException.missingParameter("AWSAccountIds");
        if (actions.isEmpty()) throw SqsException.missingParameter("Actions");
        update(queue, stored -> {
            ObjectNode policy = policy(stored, urls.arn(queue));
            ArrayNode statements = (ArrayNode) policy.get("Statement");
            for (JsonNode s : statements) {
                if (label.equals(s.path("Sid").asText())) {
                    throw SqsException.invalidParameter("Label", label, "Already exists.");
                }
            }
            ObjectNode s = statements.addObject();
            s.put("Sid", label);
            s.put("Effect", "Allow");
            ArrayNode principals = s.putObject("Principal").putArray("AWS");
            accounts.forEach(a -> principals.add("arn:aws:iam::" + a + ":root"));
            ArrayNode allowed = s.putArray("Action");
            actions.forEach(a -> allowed.add(a.startsWith("SQS:") || a.equals("*") ? a : "SQS:" + a));
            s.put("Resource", urls.arn(queue));
            stored.put(POLICY, new String(Json.write(policy), StandardCharsets.UTF_8));
            return stored;
        });
        return object();
    }

    ObjectNode removePermission(SqsRequest r, QueueUrls urls) {
        String queue = QueueUrls.queueOf(r.requiredString("QueueUrl"));
        String label = label(r);
        update(queue, stored -> {
            ObjectNode policy = policy(stored, urls.arn(queue));
            ArrayNode statements = (ArrayNode) policy.get("Statement");
            boolean removed = false;
            for (int i = statements.size() - 1; i >= 0; i--) {
                if (label.equals(statements.get(i).path("Sid").asText())) {
                    statements.remove(i);
                    removed = true;
                }
            }
            if (!removed) throw SqsException.invalidParameter("Label", label, "can't find label on existing policy.");
            if (statements.isEmpty()) {
                stored.remove(POLICY);
            } else {
                stored.put(POLICY, new String(Json.write(policy), StandardCharsets.UTF_8));
            }
            return stored;
        });
        return object();
    }

    private static String label(SqsRequest r) {
        String label = r.requiredString("Label");
        if (!LABEL.matcher(label).matches()) {
            throw SqsException.invalidParameter("Label", label, "can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length");
        }
        return label;
    }

    /** The stored Policy document, or a new empty one. */
    private static ObjectNode policy(Map<String, String> stored, String arn) {
        String text = stored.get(POLICY);
        if (text != null) {
            JsonNode n = Json.tree(text.getBytes(StandardCharsets.UTF_8));
            if (n.isObject() && n.path("Statement").isArray()) return (ObjectNode) n;
            if (n.isObject() && n.path("Statement").isObject()) { // a single statement: make it a list
                ObjectNode o = (ObjectNode) n;
                JsonNode single = o.remove("Statement");
                o.putArray("Statement").add(single);
                return o;
            }
        }
        ObjectNode p = object();
        p.put("Version", "2012-10-17");
        p.put("Id", arn + "/SQSDefaultPolicy");
        p.putArray("Statement");
        return p;
    }

    // ---- dead-letter sources

    ObjectNode listDeadLetterSourceQueues(SqsRequest r, QueueUrls urls) {
        String target = QueueUrls.queueOf(r.requiredString("QueueUrl"));
        service.queueSettings(target); // fails with QueueDoesNotExist
        Integer max = r.integer("MaxResults", 1, MAX_LIST).orElse(null);
        String after = r.string("NextToken").map(SqsQueueActions::decodeToken).orElse(null);
        List<String> sources = service.listQueues("").stream()
                .filter(n -> after == null || n.compareTo(after) > 0)
                .filter(n -> redrivesTo(n, target))
                .toList();
        ObjectNode out = object();
        ArrayNode list = out.putArray("queueUrls");
        int limit = max == null ? MAX_LIST : max;
        sources.stream().limit(limit).forEach(n -> list.add(urls.url(n)));
        if (max != null && sources.size() > limit) {
            out.put("NextToken", SqsQueueActions.encodeToken(sources.get(limit - 1)));
        }
        return out;
    }

    private boolean redrivesTo(String queue, String target) {
        try {
            QueueSettings s = service.queueSettings(queue);
            return s.defaultSubscription().deadLetterPolicy().map(d -> d.queue().equals(target)).orElse(false)
                    || (queue.equals(target) && s.faceAttributes().containsKey(SqsQueueAttributes.STORED_PREFIX + "RedrivePolicy"));
        } catch (NotFoundException gone) {
            return false; // deleted since the listing
        }
    }

    private void update(String queue, UnaryOperator<Map<String, String>> change) {
        QueueSettings current = service.describeQueue(queue).settings();
        Map<String, String> stored = change.apply(new TreeMap<>(current.faceAttributes()));
        service.updateQueue(queue, current.toBuilder().faceAttributes(stored).build());
    }

    private static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }
}
