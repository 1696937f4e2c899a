package dev.shoal.it.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The event Lambda's DynamoDB stream trigger sends, built from the records a real stream (DynamoDB
 * Local's) holds: what the dispatcher gets after the api function commits a segment.
 */
final class StreamEvents {

    private static final ObjectMapper JSON = new ObjectMapper();

    private StreamEvents() {
    }

    /** Every record on the table's stream so far, as one trigger event. */
    static String of(DynamoDbStreamsClient streams, String table) {
        String streamArn = streams.listStreams(b -> b.tableName(table)).streams().getFirst().streamArn();
        List<ObjectNode> records = new ArrayList<>();
        streams.describeStream(b -> b.streamArn(streamArn)).streamDescription().shards().forEach(shard -> {
            String iterator = streams.getShardIterator(b -> b.streamArn(streamArn).shardId(shard.shardId())
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            for (Record r : streams.getRecords(b -> b.shardIterator(iterator)).records()) {
                records.add(record(r, streamArn));
            }
        });
        ObjectNode event = JSON.createObjectNode();
        event.putArray("Records").addAll(records);
        return event.toString();
    }

    private static ObjectNode record(Record r, String streamArn) {
        ObjectNode record = JSON.createObjectNode()
                .put("eventID", r.eventID())
                .put("eventName", r.eventNameAsString())
                .put("eventVersion", "1.1")
                .put("eventSource", "aws:dynamodb")
                .put("awsRegion", SynthesizedDeployment.REGION)
                .put("eventSourceARN", streamArn);
        var d = r.dynamodb();
        ObjectNode dynamodb = record.putObject("dynamodb")
                .put("ApproximateCreationDateTime", d.approximateCreationDateTime().getEpochSecond())
                .put("SequenceNumber", d.sequenceNumber())
                .put("SizeBytes", d.sizeBytes())
                .put("StreamViewType", d.streamViewTypeAsString());
        dynamodb.set("Keys", item(d.keys()));
        if (d.hasNewImage()) {
            dynamodb.set("NewImage", item(d.newImage()));
        }
        return record;
    }

    private static ObjectNode item(Map<String, AttributeValue> item) {
        ObjectNode node = JSON.createObjectNode();
        item.forEach((name, value) -> node.set(name, value(value)));
        return node;
    }

    /** DynamoDB's JSON for one attribute value, as stream events carry it. */
    private static ObjectNode value(AttributeValue v) {
        ObjectNode node = JSON.createObjectNode();
        switch (v.type()) {
            case S -> node.put("S", v.s());
            case N -> node.put("N", v.n());
            case B -> node.put("B", base64(v.b()));
            case BOOL -> node.put("BOOL", v.bool());
            case NUL -> node.put("NULL", true);
            case M -> node.set("M", item(v.m()));
            case L -> {
                ArrayNode list = node.putArray("L");
                v.l().forEach(e -> list.add(value(e)));
            }
            case SS -> v.ss().forEach(node.putArray("SS")::add);
            case NS -> v.ns().forEach(node.putArray("NS")::add);
            case BS -> {
                ArrayNode list = node.putArray("BS");
                v.bs().forEach(b -> list.add(base64(b)));
            }
            default -> throw new IllegalArgumentException("an attribute value of an unknown type: " + v);
        }
        return node;
    }

    private static String base64(SdkBytes bytes) {
        return Base64.getEncoder().encodeToString(bytes.asByteArrayUnsafe());
    }
}
