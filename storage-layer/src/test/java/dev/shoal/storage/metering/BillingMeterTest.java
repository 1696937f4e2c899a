package dev.shoal.storage.metering;

import dev.shoal.storage.dynamodb.ShoalTables;
import dev.shoal.storage.testing.AwsFixture;
import dev.shoal.storage.testing.EmbeddedAwsExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What the meter bills for reads DynamoDB Local reports as free. */
@ExtendWith(EmbeddedAwsExtension.class)
class BillingMeterTest {

    private static double readUnitsOf(AwsFixture aws, Runnable read) {
        Meter.Usage before = aws.meter().snapshot();
        read.run();
        return aws.meter().snapshot().minus(before).dynamoReadUnits();
    }

    @Test
    void aQueryThatFindsNothingIsBilledTheMinimumOfItsConsistency(AwsFixture aws) {
        String table = aws.tables().stateTable();
        Map<String, AttributeValue> values = Map.of(":pk", AttributeValue.fromS("nobody-here"));

        double strong = readUnitsOf(aws, () -> aws.dynamo().query(b -> b.tableName(table).consistentRead(true)
                .keyConditionExpression(ShoalTables.STATE_PARTITION_KEY + " = :pk").expressionAttributeValues(values)));
        double eventual = readUnitsOf(aws, () -> aws.dynamo().query(b -> b.tableName(table)
                .keyConditionExpression(ShoalTables.STATE_PARTITION_KEY + " = :pk").expressionAttributeValues(values)));

        assertEquals(1.0, strong);
        assertEquals(0.5, eventual);
    }

    @Test
    void aReadThatFindsSomethingIsBilledWhatDynamoDbReports(AwsFixture aws) {
        String table = aws.tables().stateTable();
        String big = "x".repeat(9_000); // three 4 KB units, strongly consistent
        aws.dynamo().putItem(b -> b.tableName(table).item(Map.of(ShoalTables.STATE_PARTITION_KEY, AttributeValue.fromS("p"),
                ShoalTables.STATE_SORT_KEY, AttributeValue.fromS("s"), "v", AttributeValue.fromS(big))));

        double units = readUnitsOf(aws, () -> aws.dynamo().getItem(b -> b.tableName(table).consistentRead(true).key(Map.of(
                ShoalTables.STATE_PARTITION_KEY, AttributeValue.fromS("p"), ShoalTables.STATE_SORT_KEY, AttributeValue.fromS("s")))));

        assertEquals(3.0, units);
    }
}
