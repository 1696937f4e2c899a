package dev.shoal.storage.testing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(EmbeddedAwsExtension.class)
class EmbeddedAwsTest {

    @Test
    void s3EmulatorStoresAndServesRanges(AwsFixture aws) {
        aws.s3().putObject(b -> b.bucket(aws.bucket()).key("a/b"), RequestBody.fromString("0123456789"));
        byte[] range = aws.s3().getObjectAsBytes(b -> b.bucket(aws.bucket()).key("a/b").range("bytes=2-4")).asByteArray();
        assertArrayEquals("234".getBytes(), range);
        assertEquals(1, aws.meter().snapshot().s3Requests("PutObject"));
        assertEquals(1, aws.meter().snapshot().s3Requests("GetObject"));
    }

    @Test
    void writesThatTouchTheDueIndexAreBilledForTheIndexToo(AwsFixture aws) {
        Map<String, AttributeValue> indexed = Map.of("pk", AttributeValue.fromS("a"), "sk", AttributeValue.fromS("b"),
                "dg", AttributeValue.fromS("g"), "due", AttributeValue.fromN("1"));
        double before = aws.meter().snapshot().dynamoWriteUnits();
        aws.dynamo().putItem(b -> b.tableName(aws.tables().stateTable()).item(indexed));
        double withIndex = aws.meter().snapshot().dynamoWriteUnits() - before;
        assertEquals(2.0, withIndex, 0.001, "one unit for the table, one for the index entry");
    }

    @Test
    void transactionsAreBilledTwiceThePlainUnitsOfEachItem(AwsFixture aws) {
        Map<String, AttributeValue> plain = Map.of("pk", AttributeValue.fromS("t"), "sk", AttributeValue.fromS("1"));
        Map<String, AttributeValue> indexed = Map.of("pk", AttributeValue.fromS("t"), "sk", AttributeValue.fromS("2"),
                "dg", AttributeValue.fromS("g"), "due", AttributeValue.fromN("1"));
        double before = aws.meter().snapshot().dynamoWriteUnits();
        aws.dynamo().transactWriteItems(b -> b.transactItems(
                software.amazon.awssdk.services.dynamodb.model.TransactWriteItem.builder().put(p -> p.tableName(aws.tables().stateTable()).item(plain)).build(),
                software.amazon.awssdk.services.dynamodb.model.TransactWriteItem.builder().put(p -> p.tableName(aws.tables().stateTable()).item(indexed)).build()));
        assertEquals(2 + 2 + 2, aws.meter().snapshot().dynamoWriteUnits() - before, 0.001,
                "two units per item, two more for the index entry");
    }

    @Test
    void dynamoDbLocalHonoursConditionsAndReportsCapacity(AwsFixture aws) {
        Map<String, AttributeValue> item = Map.of(
                "p", AttributeValue.fromS("q#0"), "o", AttributeValue.fromN("0"));
        aws.dynamo().putItem(b -> b.tableName(aws.tables().logTable()).item(item)
                .conditionExpression("attribute_not_exists(p)"));
        assertThrows(ConditionalCheckFailedException.class, () -> aws.dynamo().putItem(b -> b
                .tableName(aws.tables().logTable()).item(item).conditionExpression("attribute_not_exists(p)")));
        // one successful put (1 unit) and one rejected put (billed at least 1 unit)
        assertEquals(2.0, aws.meter().snapshot().dynamoWriteUnits(), 0.001);
        assertTrue(aws.dynamo().describeTable(b -> b.tableName(aws.tables().stateTable()))
                .table().globalSecondaryIndexes().size() == 1);
    }
}
