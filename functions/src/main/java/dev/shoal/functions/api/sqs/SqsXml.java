package dev.shoal.functions.api.sqs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The query protocol's XML answers, written from the JSON protocol's result object so that both
 * protocols answer the same: {@code <ActionResponse><ActionResult>...</ActionResult>
 * <ResponseMetadata><RequestId/></ResponseMetadata></ActionResponse>}, and
 * {@code <ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>}.
 * Element names follow the SQS API reference (lists flattened under their singular name, maps
 * as {@code <Attribute><Name/><Value/></Attribute>}).
 */
final class SqsXml {

    static final String CONTENT_TYPE = "text/xml";
    static final String NAMESPACE = "http://queue.amazonaws.com/doc/2012-11-05/";

    /** JSON list member to the element each item is written as. */
    private static final Map<String, String> LIST_ITEMS = Map.of(
            "QueueUrls", "QueueUrl",
            "queueUrls", "QueueUrl",
            "Messages", "Message",
            "Failed", "BatchResultErrorEntry",
            "Results", "ListMessageMoveTasksResultEntry");

    /** JSON map member to the element each entry is written as, and its key element. */
    private static final Map<String, String[]> MAPS = Map.of(
            "Attributes", new String[]{"Attribute", "Name"},
            "MessageAttributes", new String[]{"MessageAttribute", "Name"},
            "Tags", new String[]{"Tag", "Key"});

    private SqsXml() {
    }

    static byte[] result(String action, ObjectNode result, String requestId) {
        StringBuilder x = new StringBuilder("<?xml version=\"1.0\"?>");
        x.append('<').append(action).append("Response xmlns=\"").append(NAMESPACE).append("\">");
        if (!result.isEmpty()) {
            x.append('<').append(action).append("Result>");
            members(x, action, result);
            x.append("</").append(action).append("Result>");
        }
        x.append("<ResponseMetadata><RequestId>").append(requestId).append("</RequestId></ResponseMetadata>");
        x.append("</").append(action).append("Response>");
        return x.toString().getBytes(StandardCharsets.UTF_8);
    }

    static byte[] error(SqsException e, String requestId) {
        String x = "<?xml version=\"1.0\"?><ErrorResponse xmlns=\"" + NAMESPACE + "\"><Error><Type>"
                + (e.senderFault() ? "Sender" : "Receiver") + "</Type><Code>" + escape(e.queryCode()) + "</Code><Message>"
                + escape(e.getMessage()) + "</Message><Detail/></Error><RequestId>" + requestId + "</RequestId></ErrorResponse>";
        return x.getBytes(StandardCharsets.UTF_8);
    }

    private static void members(StringBuilder x, String action, JsonNode object) {
        object.properties().forEach(e -> member(x, action, e.getKey(), e.getValue()));
    }

    private static void member(StringBuilder x, String action, String name, JsonNode value) {
        if (value.isArray()) {
            String item = name.equals("Successful") ? action + "ResultEntry" : LIST_ITEMS.getOrDefault(name, name);
            value.forEach(v -> element(x, action, item, v));
        } else if (value.isObject() && MAPS.containsKey(name)) {
            String[] shape = MAPS.get(name);
            value.properties().forEach(e -> {
                x.append('<').append(shape[0]).append('>');
                element(x, action, shape[1], e.getValue().isNull() ? null : com.fasterxml.jackson.databind.node.TextNode.valueOf(e.getKey()));
                element(x, action, "Value", e.getValue());
                x.append("</").append(shape[0]).append('>');
            });
        } else {
            element(x, action, upperFirst(name), value);
        }
    }

    private static void element(StringBuilder x, String action, String name, JsonNode value) {
        if (value == null || value.isNull()) return;
        x.append('<').append(name).append('>');
        if (value.isObject()) {
            members(x, action, value);
        } else {
            x.append(escape(value.asText()));
        }
        x.append("</").append(name).append('>');
    }

    private static String upperFirst(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** XML 1.0 text: the five predefined entities, and carriage returns kept as references (a parser would fold them). */
    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                case '\r' -> out.append("&#xD;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
