package dev.shoal.storage.dynamodb;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

import java.util.Map;

import static dev.shoal.storage.dynamodb.ShoalTables.STATE_PARTITION_KEY;

/**
 * A condition committed atomically with a log commit: a put of one state-table item that holds
 * only when no such item is there yet, or when {@code orCondition} holds for the one that is
 * (deduplication ids, producer sequences, dead-letter move markers). If it fails, the commit
 * does not happen, and the item that made it fail is returned to the committer.
 *
 * @param item        the state-table item to put
 * @param orCondition a condition on the existing item under which it may be replaced, or null
 * @param values      the values {@code orCondition} names
 */
public record Guard(Map<String, AttributeValue> item, String orCondition, Map<String, AttributeValue> values) {

    public Guard {
        item = Map.copyOf(item);
        values = Map.copyOf(values);
        if (orCondition == null && !values.isEmpty()) {
            throw new IllegalArgumentException("values " + values.keySet() + " given without a condition to use them");
        }
    }

    /** Holds when the item does not exist yet. */
    public static Guard absent(Map<String, AttributeValue> item) {
        return new Guard(item, null, Map.of());
    }

    /** Holds when the item does not exist yet, or {@code condition} holds for the existing one. */
    public static Guard absentOr(Map<String, AttributeValue> item, String condition, Map<String, AttributeValue> values) {
        return new Guard(item, condition, values);
    }

    /** The transaction item that writes this guard to {@code stateTable}. */
    public TransactWriteItem write(String stateTable) {
        String absent = "attribute_not_exists(" + STATE_PARTITION_KEY + ")";
        Put.Builder put = Put.builder().tableName(stateTable).item(item)
                .conditionExpression(orCondition == null ? absent : absent + " OR " + orCondition)
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD);
        if (!values.isEmpty()) put.expressionAttributeValues(values);
        return TransactWriteItem.builder().put(put.build()).build();
    }
}
