package dev.shoal.functions.api.sqs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The parameters of one SQS JSON request, read with SQS's own parameter names and errors
 * ({@code MissingParameter}, {@code InvalidParameterValue}).
 *
 * @param traceHeader the request's X-Amzn-Trace-Id header, or null: a message's AWSTraceHeader
 *                    unless the message names its own
 */
record SqsRequest(JsonNode body, String accessKeyId, String traceHeader) {

    SqsRequest {
        body = body == null || body.isNull() ? NullNode.getInstance() : body;
    }

    /** The same reader over a nested object (a batch entry), with the same access key. */
    SqsRequest at(JsonNode node) {
        return new SqsRequest(node, accessKeyId, traceHeader);
    }

    Optional<String> string(String name) {
        JsonNode n = body.get(name);
        if (n == null || n.isNull()) return Optional.empty();
        if (!n.isTextual()) throw SqsException.invalidParameter(name, n, "must be a string");
        return Optional.of(n.textValue());
    }

    String requiredString(String name) {
        return string(name).orElseThrow(() -> SqsException.missingParameter(name));
    }

    Optional<Integer> integer(String name, int min, int max) {
        JsonNode n = body.get(name);
        if (n == null || n.isNull()) return Optional.empty();
        int v;
        if (n.isTextual()) { // the query protocol carries numbers as text
            try {
                v = Integer.parseInt(n.textValue().trim());
            } catch (NumberFormatException e) {
                throw SqsException.invalidParameter(name, n.textValue(), "must be an integer");
            }
        } else if (n.canConvertToInt() && n.isIntegralNumber()) {
            v = n.intValue();
        } else {
            throw SqsException.invalidParameter(name, n, "must be an integer");
        }
        if (v < min || v > max) throw SqsException.invalidParameter(name, v, "must be between " + min + " and " + max + ", if provided.");
        return Optional.of(v);
    }

    List<String> strings(String name) {
        JsonNode n = body.get(name);
        if (n == null || n.isNull()) return List.of();
        if (!n.isArray()) throw SqsException.invalidParameter(name, n, "must be a list of strings");
        List<String> out = new ArrayList<>();
        n.forEach(e -> {
            if (!e.isTextual()) throw SqsException.invalidParameter(name, e, "must be a list of strings");
            out.add(e.textValue());
        });
        return out;
    }

    List<JsonNode> objects(String name) {
        JsonNode n = body.get(name);
        if (n == null || n.isNull()) return List.of();
        if (!n.isArray()) throw SqsException.invalidParameter(name, n, "must be a list");
        List<JsonNode> out = new ArrayList<>();
        n.forEach(out::add);
        return out;
    }

    /** A map of string to string, such as a queue's Attributes. */
    Map<String, String> stringMap(String name) {
        JsonNode n = body.get(name);
        Map<String, String> out = new LinkedHashMap<>();
        if (n == null || n.isNull()) return out;
        if (!n.isObject()) throw SqsException.invalidParameter(name, n, "must be a map of strings");
        n.properties().forEach(e -> {
            JsonNode v = e.getValue();
            if (!v.isTextual() && !v.isNumber() && !v.isBoolean()) {
                throw SqsException.invalidParameter(name + "." + e.getKey(), v, "must be a string");
            }
            out.put(e.getKey(), v.asText());
        });
        return out;
    }

    JsonNode object(String name) {
        JsonNode n = body.get(name);
        if (n == null || n.isNull()) return null;
        if (!n.isObject()) throw SqsException.invalidParameter(name, n, "must be a map");
        return n;
    }
}
