package dev.shoal.it;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.shoal.it.SqsQueryProtocolTest.form;
import static dev.shoal.it.SqsQueryProtocolTest.xml;

/**
 * The SQS query protocol as the SQS API reference writes it (form-encoded, XML answers): what
 * SDKs from before 2023 send. Hand-made, since no current Java SDK can be switched to it.
 */
final class SqsQueryDriver implements SqsDriver {

    private final RawSqs http;

    SqsQueryDriver(URI endpoint) {
        this.http = new RawSqs(endpoint);
    }

    public String name() {
        return "query protocol (form + XML)";
    }

    private Document call(List<String> params) {
        HttpResponse<String> r = http.form(form(params.toArray(String[]::new)));
        try {
            Document d = xml(r.body());
            if (r.statusCode() != 200) throw new QueryError(text(d.getDocumentElement(), "Code"), r.body());
            return d;
        } catch (QueryError e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(r.body(), e);
        }
    }

    static final class QueryError extends RuntimeException {
        final String code;

        QueryError(String code, String body) {
            super(body);
            this.code = code;
        }
    }

    public String createQueue(String name, Map<String, String> attributes) {
        List<String> p = new ArrayList<>(List.of("Action", "CreateQueue", "QueueName", name));
        int i = 1;
        for (var e : attributes.entrySet()) {
            p.addAll(List.of("Attribute." + i + ".Name", e.getKey(), "Attribute." + i + ".Value", e.getValue()));
            i++;
        }
        return text(call(p).getDocumentElement(), "QueueUrl");
    }

    public Sent send(String url, String body, Map<String, String> stringAttributes, String groupId) {
        List<String> p = new ArrayList<>(List.of("Action", "SendMessage", "QueueUrl", url, "MessageBody", body));
        if (groupId != null) p.addAll(List.of("MessageGroupId", groupId));
        int i = 1;
        for (var e : stringAttributes.entrySet()) {
            String prefix = "MessageAttribute." + i++ + ".";
            p.addAll(List.of(prefix + "Name", e.getKey(), prefix + "Value.DataType", "String", prefix + "Value.StringValue", e.getValue()));
        }
        Element r = call(p).getDocumentElement();
        return new Sent(text(r, "MessageId"), optional(r, "MD5OfMessageAttributes"), optional(r, "SequenceNumber"));
    }

    public List<String> sendBatch(String url, List<String> bodies) {
        List<String> p = new ArrayList<>(List.of("Action", "SendMessageBatch", "QueueUrl", url));
        for (int i = 0; i < bodies.size(); i++) {
            p.addAll(List.of("SendMessageBatchRequestEntry." + (i + 1) + ".Id", "e" + i, "SendMessageBatchRequestEntry." + (i + 1) + ".MessageBody", bodies.get(i)));
        }
        Document d = call(p);
        if (d.getElementsByTagName("BatchResultErrorEntry").getLength() > 0) throw new IllegalStateException("a batch entry failed");
        List<String> ids = new ArrayList<>();
        NodeList entries = d.getElementsByTagName("SendMessageBatchResultEntry");
        for (int i = 0; i < entries.getLength(); i++) ids.add(text((Element) entries.item(i), "MessageId"));
        return ids;
    }

    public List<Received> receive(String url, int max, int waitSeconds) {
        Document d = call(List.of("Action", "ReceiveMessage", "QueueUrl", url, "MaxNumberOfMessages", Integer.toString(max),
                "WaitTimeSeconds", Integer.toString(waitSeconds), "AttributeName.1", "All", "MessageAttributeName.1", "All"));
        List<Received> out = new ArrayList<>();
        NodeList messages = d.getElementsByTagName("Message");
        for (int i = 0; i < messages.getLength(); i++) {
            Element m = (Element) messages.item(i);
            Map<String, String> system = pairs(m, "Attribute", "Name");
            Map<String, String> attributes = new LinkedHashMap<>();
            NodeList list = m.getElementsByTagName("MessageAttribute");
            for (int j = 0; j < list.getLength(); j++) {
                Element a = (Element) list.item(j);
                attributes.put(text(a, "Name"), text(a, "StringValue"));
            }
            out.add(new Received(text(m, "MessageId"), text(m, "Body"), text(m, "ReceiptHandle"), attributes, system,
                    optional(m, "MD5OfMessageAttributes")));
        }
        return out;
    }

    public void delete(String url, String receipt) {
        call(List.of("Action", "DeleteMessage", "QueueUrl", url, "ReceiptHandle", receipt));
    }

    public int deleteBatch(String url, List<String> receipts) {
        List<String> p = new ArrayList<>(List.of("Action", "DeleteMessageBatch", "QueueUrl", url));
        for (int i = 0; i < receipts.size(); i++) {
            p.addAll(List.of("DeleteMessageBatchRequestEntry." + (i + 1) + ".Id", "d" + i, "DeleteMessageBatchRequestEntry." + (i + 1) + ".ReceiptHandle", receipts.get(i)));
        }
        return call(p).getElementsByTagName("DeleteMessageBatchResultEntry").getLength();
    }

    public void changeVisibility(String url, String receipt, int seconds) {
        call(List.of("Action", "ChangeMessageVisibility", "QueueUrl", url, "ReceiptHandle", receipt, "VisibilityTimeout", Integer.toString(seconds)));
    }

    public Map<String, String> attributes(String url) {
        return pairs(call(List.of("Action", "GetQueueAttributes", "QueueUrl", url, "AttributeName.1", "All")).getDocumentElement(), "Attribute", "Name");
    }

    public void tag(String url, Map<String, String> tags) {
        List<String> p = new ArrayList<>(List.of("Action", "TagQueue", "QueueUrl", url));
        int i = 1;
        for (var e : tags.entrySet()) {
            p.addAll(List.of("Tag." + i + ".Key", e.getKey(), "Tag." + i + ".Value", e.getValue()));
            i++;
        }
        call(p);
    }

    public Map<String, String> tags(String url) {
        return pairs(call(List.of("Action", "ListQueueTags", "QueueUrl", url)).getDocumentElement(), "Tag", "Key");
    }

    public String errorCodeOfGetQueueUrl(String missingQueue) {
        try {
            call(List.of("Action", "GetQueueUrl", "QueueName", missingQueue));
            return null;
        } catch (QueryError e) {
            return e.code;
        }
    }

    private static Map<String, String> pairs(Element parent, String tag, String key) {
        Map<String, String> out = new LinkedHashMap<>();
        NodeList list = parent.getElementsByTagName(tag);
        for (int i = 0; i < list.getLength(); i++) {
            Element e = (Element) list.item(i);
            out.put(text(e, key), text(e, "Value"));
        }
        return out;
    }

    private static String text(Element e, String tag) {
        return e.getElementsByTagName(tag).item(0).getTextContent();
    }

    private static String optional(Element e, String tag) {
        NodeList l = e.getElementsByTagName(tag);
        return l.getLength() == 0 ? null : l.item(0).getTextContent();
    }
}
