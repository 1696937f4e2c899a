package dev.shoal.functions.api.sqs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shoal.storage.api.Limits;
import dev.shoal.storage.api.MessageAttribute;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** SQS message attributes ({@code {"DataType", "StringValue" | "BinaryValue"}}) to and from Shoal's. */
final class SqsMessageAttributes {

    private static final Pattern DATA_TYPE = Pattern.compile("(String|Number|Binary)(\\.[A-Za-z0-9_.-]{1,200})?");

    /** SQS's limit per message; the native API allows {@link Limits#MAX_ATTRIBUTES}. */
    static final int MAX_ATTRIBUTES = 10;

    private SqsMessageAttributes() {
    }

    static Map<String, MessageAttribute> parse(JsonNode attributes) {
        Map<String, MessageAttribute> out = new LinkedHashMap<>();
        if (attributes == null || attributes.isNull()) {
            return out;
        }
        if (!attributes.isObject()) {
            throw SqsException.invalidParameter("MessageAttributes", attributes, "must be a map of name to {\"DataType\", \"StringValue\" or \"BinaryValue\"}");
        }
        if (attributes.size() > MAX_ATTRIBUTES) {
            throw SqsException.invalidParameterMessage("Number of message attributes [" + attributes.size()
                    + "] exceeds the allowed maximum [" + MAX_ATTRIBUTES + "].");
        }
        attributes.properties().forEach(e -> out.put(checkName(e.getKey()), parseOne(e.getKey(), e.getValue())));
        return out;
    }

    /** MessageSystemAttributes: only AWSTraceHeader, a String, as in SQS. */
    static Map<String, MessageAttribute> parseSystem(JsonNode attributes) {
        Map<String, MessageAttribute> out = new LinkedHashMap<>();
        if (attributes == null || attributes.isNull()) {
            return out;
        }
        attributes.properties().forEach(e -> {
            if (!e.getKey().equals("AWSTraceHeader")) {
                throw SqsException.invalidParameterMessage("Message system attribute name '" + SqsException.echo(e.getKey())
                        + "' is invalid. The only supported message system attribute is AWSTraceHeader.");
            }
            MessageAttribute a = parseOne(e.getKey(), e.getValue());
            if (!a.dataType().equals("String")) {
                throw SqsException.invalidParameterMessage("The message system attribute AWSTraceHeader must have the DataType String.");
            }
            out.put(e.getKey(), a);
        });
        return out;
    }

    private static String checkName(String name) {
        if (!Limits.ATTRIBUTE_NAME.matcher(name).matches() || name.startsWith(".") || name.endsWith(".") || name.contains("..")) {
            throw SqsException.invalidParameter("MessageAttribute.Name", name,
                    "names are 1-256 characters of A-Z, a-z, 0-9, '_', '-' and '.', not starting or ending with '.', without '..'");
        }
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        if (lower.startsWith("aws.") || lower.startsWith("amazon.") || name.startsWith(Limits.RESERVED_ATTRIBUTE_PREFIX)) {
            throw SqsException.invalidParameter("MessageAttribute.Name", name,
                    "names starting with 'AWS.', 'Amazon.' or '" + Limits.RESERVED_ATTRIBUTE_PREFIX + "' are reserved");
        }
        return name;
    }

    private static MessageAttribute parseOne(String name, JsonNode a) {
        String parameter = "MessageAttribute." + name;
        if (!a.isObject()) throw SqsException.invalidParameter(parameter, a, "must be {\"DataType\": ..., \"StringValue\" or \"BinaryValue\": ...}");
        JsonNode type = a.get("DataType");
        if (type == null || !type.isTextual()) {
            throw SqsException.sender("MissingParameter", "The message attribute '" + name + "' must contain a non-empty attribute type.");
        }
        String dataType = type.textValue();
        if (!DATA_TYPE.matcher(dataType).matches()) {
            throw SqsException.invalidParameter(parameter + ".DataType", dataType, "must be String, Number or Binary, optionally with a custom suffix (Number.int)");
        }
        if (a.has("StringListValues") || a.has("BinaryListValues")) {
            throw SqsException.invalidParameter(parameter, "list values", "StringListValues and BinaryListValues are not supported (SQS does not implement them either)");
        }
        if (dataType.startsWith("Binary")) {
            JsonNode v = a.get("BinaryValue");
            if (v == null || !v.isTextual()) {
                throw SqsException.sender("InvalidParameterValue", "The message attribute '" + name + "' with type 'Binary' must use field 'Binary'.");
            }
            byte[] bytes;
            try {
                bytes = Base64.getDecoder().decode(v.textValue());
            } catch (IllegalArgumentException e) {
                throw SqsException.invalidParameter(parameter + ".BinaryValue", "(not base64)", "must be base64");
            }
            if (bytes.length == 0) {
                throw emptyValue(name, "Binary");
            }
            return new MessageAttribute(dataType, bytes);
        }
        JsonNode v = a.get("StringValue");
        if (v == null || !v.isTextual()) {
            throw SqsException.sender("InvalidParameterValue", "The message attribute '" + name + "' with type '" + dataType + "' must use field 'String'.");
        }
        if (v.textValue().isEmpty()) {
            throw emptyValue(name, dataType.startsWith("Number") ? "Number" : "String");
        }
        SqsMessageActions.invalidCharacter(v.textValue()).ifPresent(c -> {
            throw SqsException.invalidParameterMessage("Message (user) attribute '" + name + "' contains the invalid character #x"
                    + Integer.toHexString(c) + ". " + SqsMessageActions.ALLOWED_CHARACTERS);
        });
        if (dataType.startsWith("Number")) {
            try {
                new java.math.BigDecimal(v.textValue().trim());
            } catch (NumberFormatException e) {
                throw SqsException.invalidParameter(parameter, v.textValue(), "a Number attribute's value must be a number");
            }
        }
        return new MessageAttribute(dataType, v.textValue().getBytes(StandardCharsets.UTF_8));
    }

    private static SqsException emptyValue(String name, String type) {
        return SqsException.invalidParameterMessage("Message (user) attribute '" + name + "' must contain a non-empty value of type '" + type + "'.");
    }

    /**
     * The attributes a receive asked for: {@code All}, {@code *} or {@code .*} for every one, {@code prefix.*}
     * for a prefix, else exact names. None when the receive named none (as SQS does).
     */
    static Map<String, MessageAttribute> select(Map<String, MessageAttribute> attributes, List<String> names) {
        Map<String, MessageAttribute> out = new TreeMap<>();
        if (names.isEmpty()) {
            return out;
        }
        attributes.forEach((name, value) -> {
            for (String wanted : names) {
                boolean match = wanted.equals("All") || wanted.equals("*") || wanted.equals(".*") || wanted.equals(name)
                        || (wanted.endsWith(".*") && name.startsWith(wanted.substring(0, wanted.length() - 1)));
                if (match) {
                    out.put(name, value);
                    return;
                }
            }
        });
        return out;
    }

    static ObjectNode toJson(Map<String, MessageAttribute> attributes) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        attributes.forEach((name, a) -> {
            ObjectNode v = out.putObject(name);
            v.put("DataType", a.dataType());
            if (a.isBinary()) {
                v.put("BinaryValue", Base64.getEncoder().encodeToString(a.value()));
            } else {
                v.put("StringValue", a.stringValue());
            }
        });
        return out;
    }
}
