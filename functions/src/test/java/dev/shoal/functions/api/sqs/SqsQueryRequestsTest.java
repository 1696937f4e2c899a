package dev.shoal.functions.api.sqs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The query protocol's flattened parameters become the JSON protocol's request, as the SQS API reference names them. */
class SqsQueryRequestsTest {

    @Test
    void mapsListsAndBatchEntriesBecomeJsonMembers() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("Action", "SendMessageBatch");
        p.put("Version", "2012-11-05");
        p.put("QueueUrl", "http://h/000000000000/q");
        p.put("SendMessageBatchRequestEntry.2.Id", "b");
        p.put("SendMessageBatchRequestEntry.2.MessageBody", "two");
        p.put("SendMessageBatchRequestEntry.1.Id", "a");
        p.put("SendMessageBatchRequestEntry.1.MessageBody", "one");
        p.put("SendMessageBatchRequestEntry.1.MessageAttribute.1.Name", "k");
        p.put("SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.DataType", "String");
        p.put("SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.StringValue", "v");
        ObjectNode json = SqsQueryRequests.toJson("SendMessageBatch", p);
        assertEquals("{\"QueueUrl\":\"http://h/000000000000/q\",\"Entries\":[{\"Id\":\"a\",\"MessageBody\":\"one\",\"MessageAttributes\":"
                + "{\"k\":{\"DataType\":\"String\",\"StringValue\":\"v\"}}},{\"Id\":\"b\",\"MessageBody\":\"two\"}]}", json.toString());
    }

    @Test
    void queueAttributesNamesAndCreateQueueTags() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("QueueName", "q");
        p.put("Attribute.1.Name", "VisibilityTimeout");
        p.put("Attribute.1.Value", "40");
        p.put("Tag.1.Key", "team");
        p.put("Tag.1.Value", "core");
        p.put("AttributeName.1", "All");
        assertEquals("{\"QueueName\":\"q\",\"Attributes\":{\"VisibilityTimeout\":\"40\"},\"AttributeNames\":[\"All\"],\"tags\":{\"team\":\"core\"}}",
                SqsQueryRequests.toJson("CreateQueue", p).toString());
        assertEquals("{\"Tags\":{\"team\":\"core\"}}", SqsQueryRequests.toJson("TagQueue", Map.of("Tag.1.Key", "team", "Tag.1.Value", "core")).toString());
    }

    @Test
    void aListWithoutIndexIsRefused() {
        assertThrows(SqsException.class, () -> SqsQueryRequests.toJson("ReceiveMessage", Map.of("AttributeName.All", "x")));
    }
}
