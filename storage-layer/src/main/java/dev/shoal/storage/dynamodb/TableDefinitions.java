package dev.shoal.storage.dynamodb;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveSpecification;
import software.amazon.awssdk.services.dynamodb.model.UpdateTimeToLiveRequest;

import static dev.shoal.storage.dynamodb.ShoalTables.*;

/**
 * Creates Shoal's tables where nothing else does (the local stack and tests). In AWS the CDK
 * app creates the same tables from the same {@link ShoalTables} names.
 */
public final class TableDefinitions {

    private final ShoalTables tables;

    public TableDefinitions(ShoalTables tables) {
        this.tables = tables;
    }

    public CreateTableRequest logTable() {
        return CreateTableRequest.builder()
                .tableName(tables.logTable())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        attribute(LOG_PARTITION_KEY, ScalarAttributeType.S),
                        attribute(LOG_SORT_KEY, ScalarAttributeType.N))
                .keySchema(key(LOG_PARTITION_KEY, KeyType.HASH), key(LOG_SORT_KEY, KeyType.RANGE))
                .streamSpecification(StreamSpecification.builder()
                        .streamEnabled(true).streamViewType(StreamViewType.NEW_IMAGE).build())
                .build();
    }

    public CreateTableRequest stateTable() {
        return CreateTableRequest.builder()
                .tableName(tables.stateTable())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        attribute(STATE_PARTITION_KEY, ScalarAttributeType.S),
                        attribute(STATE_SORT_KEY, ScalarAttributeType.S),
                        attribute(DUE_INDEX_PARTITION_KEY, ScalarAttributeType.S),
                        attribute(DUE_INDEX_SORT_KEY, ScalarAttributeType.N))
                .keySchema(key(STATE_PARTITION_KEY, KeyType.HASH), key(STATE_SORT_KEY, KeyType.RANGE))
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder()
                        .indexName(DUE_INDEX)
                        .keySchema(key(DUE_INDEX_PARTITION_KEY, KeyType.HASH), key(DUE_INDEX_SORT_KEY, KeyType.RANGE))
                        // Keys only: updates that do not move a chunk in time cost no index write.
                        .projection(Projection.builder().projectionType(ProjectionType.KEYS_ONLY).build())
                        .build())
                .build();
    }

    /** Creates both tables if they do not exist, and turns on TTL for the state table. */
    public void createIfMissing(DynamoDbClient dynamo) {
        for (CreateTableRequest request : new CreateTableRequest[] {logTable(), stateTable()}) {
            try {
                dynamo.createTable(request);
                dynamo.waiter().waitUntilTableExists(b -> b.tableName(request.tableName()));
            } catch (ResourceInUseException alreadyThere) {
                // created before: a restart of the local stack on the same data
            }
        }
        boolean ttlOn = dynamo.describeTimeToLive(b -> b.tableName(tables.stateTable()))
                .timeToLiveDescription().timeToLiveStatusAsString().startsWith("ENABL");
        if (!ttlOn) {
            dynamo.updateTimeToLive(UpdateTimeToLiveRequest.builder()
                    .tableName(tables.stateTable())
                    .timeToLiveSpecification(TimeToLiveSpecification.builder()
                            .attributeName(STATE_TTL_ATTRIBUTE).enabled(true).build())
                    .build());
        }
    }

    private static AttributeDefinition attribute(String name, ScalarAttributeType type) {
        return AttributeDefinition.builder().attributeName(name).attributeType(type).build();
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }
}
