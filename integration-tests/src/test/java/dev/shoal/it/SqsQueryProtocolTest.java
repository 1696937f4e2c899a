package dev.shoal.it;

import dev.shoal.functions.api.sqs.SqsMd5;
import dev.shoal.storage.api.MessageAttribute;
import dev.shoal.storage.testing.AwsFixture;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SQS query protocol (form-encoded Action=..., XML answers), which SDKs from before 2023
 * speak: requests as the SQS API reference writes them, signed with SigV4, over a real socket.
 * No current Java client can be switched to it, so the requests are made by hand.
 */
@EndToEnd
class SqsQueryProtocolTest {

    @Test
    void queryProtocolCreatesSendsReceivesAndDeletes(AwsFixture aws) throws Exception {
        try (ShoalServer shoal = ShoalServer.start(aws)) {
            RawSqs sqs = new RawSqs(shoal.endpoint());
            Document created = ok(sqs.form(form("Action", "CreateQueue", "QueueName", "legacy",
                    "Attribute.1.Name", "VisibilityTimeout", "Attribute.1.Value", "40", "Version", "2012-11-05")));
            String url = text(created, "QueueUrl");
            assertEquals(shoal.endpoint() + "/000000000000/legacy", url);

            Document sent = ok(sqs.form(form("Action", "SendMessage", "QueueUrl", url, "MessageBody", "héllo <xml> & co",
                    "MessageAttribute.1.Name", "kind", "MessageAttribute.1.Value.DataType", "String",
                    "MessageAttribute.1.Value.StringValue", "greeting")));
            String id = text(sent, "MessageId");
            UUID.fromString(id);
            assertEquals(SqsMd5.ofBody("héllo <xml> & co"), text(sent, "MD5OfMessageBody"));
            assertEquals(SqsMd5.ofAttributes(Map.of("kind", MessageAttribute.string("greeting"))), text(sent, "MD5OfMessageAttributes"));

            List<Element> messages = new ArrayList<>();
            await().until(() -> {
                Document got = ok(sqs.form(form("Action", "ReceiveMessage", "QueueUrl", url, "MaxNumberOfMessages", "10",
                        "WaitTimeSeconds", "1", "AttributeName.1", "All", "MessageAttributeName.1", "All")));
                NodeList list = got.getElementsByTagName("Message");
                for (int i = 0; i < list.getLength(); i++) messages.add((Element) list.item(i));
                return !messages.isEmpty();
            });
            Element m = messages.getFirst();
            assertEquals(id, text(m, "MessageId"));
            assertEquals("héllo <xml> & co", text(m, "Body"));
            assertEquals("kind", text((Element) m.getElementsByTagName("MessageAttribute").item(0), "Name"));
            assertEquals("greeting", text(m, "StringValue"));
            assertTrue(attributeNames(m).contains("ApproximateReceiveCount"), attributeNames(m).toString());

            Document attributes = ok(sqs.form(form("Action", "GetQueueAttributes", "QueueUrl", url, "AttributeName.1", "VisibilityTimeout")));
            assertEquals("40", text(attributes, "Value"));

            ok(sqs.form(form("Action", "DeleteMessage", "QueueUrl", url, "ReceiptHandle", text(m, "ReceiptHandle"))));
            Document listed = ok(sqs.form(form("Action", "ListQueues", "QueueNamePrefix", "leg")));
            assertEquals(url, text(listed, "QueueUrl"));
        }
    }

    @Test
    void queryProtocolBatchesAddressTheQueueByItsUrlAndReportFailedEntries(AwsFixture aws) throws Exception {
        try (ShoalServer shoal = ShoalServer.start(aws)) {
            RawSqs sqs = new RawSqs(shoal.endpoint());
            String url = text(ok(sqs.form(form("Action", "CreateQueue", "QueueName", "legacy-batch"))), "QueueUrl");
            RawSqs atQueue = new RawSqs(java.net.URI.create(url));
            Document batch = ok(atQueue.form(form("Action", "SendMessageBatch",
                    "SendMessageBatchRequestEntry.1.Id", "a", "SendMessageBatchRequestEntry.1.MessageBody", "one",
                    "SendMessageBatchRequestEntry.2.Id", "b", "SendMessageBatchRequestEntry.2.MessageBody", "two",
                    "SendMessageBatchRequestEntry.2.DelaySeconds", "5")));
            assertEquals(2, batch.getElementsByTagName("SendMessageBatchResultEntry").getLength());
            Document deleted = ok(atQueue.form(form("Action", "DeleteMessageBatch",
                    "DeleteMessageBatchRequestEntry.1.Id", "x", "DeleteMessageBatchRequestEntry.1.ReceiptHandle", "forged")));
            Element failed = (Element) deleted.getElementsByTagName("BatchResultErrorEntry").item(0);
            assertEquals("x", text(failed, "Id"));
            assertEquals("ReceiptHandleIsInvalid", text(failed, "Code"));
            assertEquals("true", text(failed, "SenderFault"));
        }
    }

    @Test
    void queryProtocolErrorsAreXmlWithSqsCodes(AwsFixture aws) throws Exception {
        try (ShoalServer shoal = ShoalServer.start(aws)) {
            HttpResponse<String> r = new RawSqs(shoal.endpoint()).form(form("Action", "GetQueueUrl", "QueueName", "missing"));
            assertEquals(400, r.statusCode());
            assertTrue(r.headers().firstValue("x-amzn-RequestId").isPresent());
            Document error = xml(r.body());
            assertEquals("ErrorResponse", error.getDocumentElement().getTagName());
            assertEquals("Sender", text(error, "Type"));
            assertEquals("AWS.SimpleQueueService.NonExistentQueue", text(error, "Code"));
            assertEquals("The specified queue does not exist.", text(error, "Message"));
        }
    }

    static Document ok(HttpResponse<String> r) throws Exception {
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("content-type").orElse("").contains("xml"));
        assertTrue(r.headers().firstValue("x-amzn-RequestId").isPresent());
        return xml(r.body());
    }

    static Document xml(String body) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
    }

    static String text(Document d, String tag) {
        return d.getElementsByTagName(tag).item(0).getTextContent();
    }

    static String text(Element e, String tag) {
        return e.getElementsByTagName(tag).item(0).getTextContent();
    }

    private static List<String> attributeNames(Element m) {
        List<String> names = new ArrayList<>();
        NodeList list = m.getElementsByTagName("Attribute");
        for (int i = 0; i < list.getLength(); i++) names.add(text((Element) list.item(i), "Name"));
        return names;
    }

    static String form(String... pairs) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < pairs.length; i += 2) {
            if (!b.isEmpty()) b.append('&');
            b.append(URLEncoder.encode(pairs[i], StandardCharsets.UTF_8)).append('=').append(URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
        }
        return b.toString();
    }
}
