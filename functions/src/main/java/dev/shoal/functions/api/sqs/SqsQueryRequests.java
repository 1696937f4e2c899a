package dev.shoal.functions.api.sqs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The SQS query protocol's parameters ({@code Action=SendMessage&MessageAttribute.1.Name=...})
 * as the JSON protocol's request object, so that both protocols run the same actions. The
 * flattened names follow the SQS API reference: maps as {@code Name.N.Name}/{@code Name.N.Value}
 * (or {@code Key}/{@code Value} for tags), lists as {@code Name.N}, batch entries as
 * {@code <Action>RequestEntry.N.<Field>}. Numbers stay text; {@link SqsRequest} reads either.
 */
final class SqsQueryRequests {

    /** Flattened map name to JSON member, key field and value field. */
    private record MapShape(String member, String key, String value) {
    }

    private static final Map<String, MapShape> MAPS = Map.of(
            "Attribute", new MapShape("Attributes", "Name", "Value"),
            "Tag", new MapShape("Tags", "Key", "Value"),
            "MessageAttribute", new MapShape("MessageAttributes", "Name", "Value"),
            "MessageSystemAttribute", new MapShape("MessageSystemAttributes", "Name", "Value"));

    private static final Map<String, String> LISTS = Map.of(
            "AttributeName", "AttributeNames",
            "MessageAttributeName", "MessageAttributeNames",
            "MessageSystemAttributeName", "MessageSystemAttributeNames",
            "TagKey", "TagKeys",
            "AWSAccountId", "AWSAccountIds",
            "ActionName", "Actions");

    private static final Set<String> ENTRIES = Set.of("SendMessageBatchRequestEntry", "DeleteMessageBatchRequestEntry",
            "ChangeMessageVisibilityBatchRequestEntry");

    /** Parameters the protocol carries that are not the action's. */
    private static final Set<String> PROTOCOL = Set.of("Action", "Version", "AWSAccessKeyId", "Signature", "SignatureMethod",
            "SignatureVersion", "Timestamp", "Expires");

    private SqsQueryRequests() {
    }

    /** The request object for {@code action}; CreateQueue's tags are {@code tags} there, as in the JSON protocol. */
    static ObjectNode toJson(String action, Map<String, String> params) {
        Node root = new Node();
        params.forEach((name, value) -> {
            if (!PROTOCOL.contains(name)) root.put(name.split("\\.", -1), 0, value);
        });
        ObjectNode out = convert(root);
        if (action.equals("CreateQueue") && out.has("Tags")) {
            out.set("tags", out.remove("Tags"));
        }
        return out;
    }

    /** A tree of the dotted names; leaves hold values. */
    private static final class Node {
        String value;
        final Map<String, Node> children = new LinkedHashMap<>();

        void put(String[] path, int i, String v) {
            if (i == path.length) {
                value = v;
                return;
            }
            children.computeIfAbsent(path[i], k -> new Node()).put(path, i + 1, v);
        }

        /** The children whose names are indexes (1, 2, ...), in index order. */
        Map<Integer, Node> indexed() {
            Map<Integer, Node> out = new TreeMap<>(Comparator.naturalOrder());
            children.forEach((k, n) -> {
                try {
                    out.put(Integer.parseInt(k), n);
                } catch (NumberFormatException e) {
                    throw SqsException.invalidParameterMessage("The parameter " + SqsException.echo(k)
                            + " must be followed by an index (.1, .2, ...) in the query protocol.");
                }
            });
            return out;
        }
    }

    private static ObjectNode convert(Node node) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        node.children.forEach((name, child) -> {
            if (MAPS.containsKey(name)) {
                MapShape shape = MAPS.get(name);
                ObjectNode map = out.putObject(shape.member());
                for (Node e : child.indexed().values()) {
                    Node key = e.children.get(shape.key());
                    Node value = e.children.get(shape.value());
                    if (key == null || key.value == null) {
                        throw SqsException.missingParameterMessage("Every " + name + ".N needs a " + name + ".N." + shape.key() + ".");
                    }
                    map.set(key.value, value == null ? JsonNodeFactory.instance.nullNode() : leafOrObject(value));
                }
            } else if (LISTS.containsKey(name)) {
                ArrayNode list = out.putArray(LISTS.get(name));
                child.indexed().values().forEach(e -> list.add(e.value));
            } else if (ENTRIES.contains(name)) {
                ArrayNode list = out.putArray("Entries");
                child.indexed().values().forEach(e -> list.add(convert(e)));
            } else {
                out.set(name, leafOrObject(child));
            }
        });
        return out;
    }

    private static JsonNode leafOrObject(Node node) {
        return node.children.isEmpty() ? JsonNodeFactory.instance.textNode(node.value == null ? "" : node.value) : convert(node);
    }
}
