package dev.shoal.infra;

import dev.shoal.storage.dynamodb.ShoalTables;
import dev.shoal.storage.dynamodb.TableDefinitions;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.shoal.infra.TemplateJson.list;
import static dev.shoal.infra.TemplateJson.map;
import static dev.shoal.infra.TemplateJson.properties;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StorageTemplateTest {

    private static final ShoalTables TABLES = ShoalTables.withDefaultPrefix();

    private final TemplateJson json = Synthesized.defaults().json();

    @Test
    void logTableIsKeyedByPartitionAndOffsetWithAStreamOfNewImages() {
        Map<String, Object> log = json.propertiesWhere("AWS::DynamoDB::Table", "TableName", TABLES.logTable());

        assertEquals(List.of(key(ShoalTables.LOG_PARTITION_KEY, "HASH"), key(ShoalTables.LOG_SORT_KEY, "RANGE")),
                log.get("KeySchema"));
        assertEquals(Set.of(attribute(ShoalTables.LOG_PARTITION_KEY, "S"), attribute(ShoalTables.LOG_SORT_KEY, "N")),
                new HashSet<>(list(log.get("AttributeDefinitions"))));
        assertEquals(Map.of("StreamViewType", "NEW_IMAGE"), log.get("StreamSpecification"));
        assertOnDemandWithPitr(log);
    }

    @Test
    void stateTableHasTtlAndTheKeysOnlyDueIndex() {
        Map<String, Object> state = json.propertiesWhere("AWS::DynamoDB::Table", "TableName", TABLES.stateTable());

        assertEquals(List.of(key(ShoalTables.STATE_PARTITION_KEY, "HASH"), key(ShoalTables.STATE_SORT_KEY, "RANGE")),
                state.get("KeySchema"));
        assertEquals(Map.of("AttributeName", ShoalTables.STATE_TTL_ATTRIBUTE, "Enabled", true),
                state.get("TimeToLiveSpecification"));
        assertEquals(List.of(Map.of(
                        "IndexName", ShoalTables.DUE_INDEX,
                        "KeySchema", List.of(key(ShoalTables.DUE_INDEX_PARTITION_KEY, "HASH"),
                                key(ShoalTables.DUE_INDEX_SORT_KEY, "RANGE")),
                        "Projection", Map.of("ProjectionType", "KEYS_ONLY"))),
                state.get("GlobalSecondaryIndexes"));
        assertFalse(state.containsKey("StreamSpecification"), "only the log table needs a stream");
        assertOnDemandWithPitr(state);
    }

    /** The local stack creates its tables from TableDefinitions: AWS must get the same ones. */
    @Test
    void tablesMatchTheLocalStacksTableDefinitions() {
        TableDefinitions local = new TableDefinitions(TABLES);
        for (CreateTableRequest request : List.of(local.logTable(), local.stateTable())) {
            Map<String, Object> cdk = json.propertiesWhere("AWS::DynamoDB::Table", "TableName", request.tableName());

            assertEquals(keys(request.keySchema()), cdk.get("KeySchema"), request.tableName());
            assertEquals(attributes(request.attributeDefinitions()),
                    new HashSet<>(list(cdk.get("AttributeDefinitions"))), request.tableName());
            assertEquals(request.billingModeAsString(), cdk.get("BillingMode"), request.tableName());
            if (request.streamSpecification() != null) {
                assertEquals(request.streamSpecification().streamViewTypeAsString(),
                        map(cdk.get("StreamSpecification")).get("StreamViewType"));
            }
            List<Object> cdkIndexes = cdk.containsKey("GlobalSecondaryIndexes")
                    ? list(cdk.get("GlobalSecondaryIndexes")) : List.of();
            assertEquals(request.globalSecondaryIndexes().size(), cdkIndexes.size(), request.tableName());
            for (GlobalSecondaryIndex index : request.globalSecondaryIndexes()) {
                assertTrue(cdkIndexes.contains(Map.of(
                        "IndexName", index.indexName(),
                        "KeySchema", keys(index.keySchema()),
                        "Projection", Map.of("ProjectionType", index.projection().projectionTypeAsString()))),
                        "index " + index.indexName() + " in " + cdkIndexes);
            }
        }
    }

    @Test
    void bucketIsEncryptedPrivateUnversionedAndOwnedByTheAccount() {
        Map<String, Object> bucket = properties(json.resources("AWS::S3::Bucket").values().iterator().next());

        assertEquals(Map.of("ServerSideEncryptionConfiguration",
                        List.of(Map.of("ServerSideEncryptionByDefault", Map.of("SSEAlgorithm", "AES256")))),
                bucket.get("BucketEncryption"));
        assertEquals(Map.of("BlockPublicAcls", true, "BlockPublicPolicy", true,
                        "IgnorePublicAcls", true, "RestrictPublicBuckets", true),
                bucket.get("PublicAccessBlockConfiguration"));
        assertFalse(bucket.containsKey("VersioningConfiguration"), "versioning must stay off");
        assertEquals(1, json.resources("AWS::S3::Bucket").size());
    }

    @Test
    void bucketPolicyDeniesEveryRequestWithoutTls() {
        Map<String, Object> policy = properties(json.resources("AWS::S3::BucketPolicy").values().iterator().next());

        boolean deniesPlainHttp = TemplateJson.statements(policy).stream().anyMatch(s ->
                "Deny".equals(s.get("Effect"))
                        && "s3:*".equals(s.get("Action"))
                        && Map.of("Bool", Map.of("aws:SecureTransport", "false")).equals(s.get("Condition")));
        assertTrue(deniesPlainHttp, "TLS-only statement in " + policy);
    }

    @Test
    void lifecycleAbortsIncompleteUploadsAndExpiresOrphans() {
        Map<String, Object> bucket = properties(json.resources("AWS::S3::Bucket").values().iterator().next());
        List<Object> rules = list(map(bucket.get("LifecycleConfiguration")).get("Rules"));

        assertTrue(rules.contains(Map.of("Id", "abort-incomplete-multipart-uploads", "Status", "Enabled",
                "AbortIncompleteMultipartUpload", Map.of("DaysAfterInitiation", 1))), rules.toString());
        assertTrue(rules.contains(Map.of("Id", "expire-orphans", "Status", "Enabled",
                "Prefix", "orphans/", "ExpirationInDays", 7)), rules.toString());
    }

    @Test
    void dataIsRetainedByDefaultAndDestroyedOnlyWhenAskedTo() {
        assertDeletionPolicy(Synthesized.defaults().json(), "Retain");
        assertDeletionPolicy(Synthesized.variant("destroy", b -> b.removalPolicy(RemovalPolicy.DESTROY)).json(),
                "Delete");
    }

    private static void assertDeletionPolicy(TemplateJson json, String expected) {
        for (String type : List.of("AWS::S3::Bucket", "AWS::DynamoDB::Table", "AWS::SecretsManager::Secret")) {
            json.resources(type).forEach((id, resource) ->
                    assertEquals(expected, resource.get("DeletionPolicy"), id));
        }
    }

    private static void assertOnDemandWithPitr(Map<String, Object> table) {
        assertEquals("PAY_PER_REQUEST", table.get("BillingMode"));
        assertEquals(Map.of("PointInTimeRecoveryEnabled", true), table.get("PointInTimeRecoverySpecification"));
    }

    private static List<Object> keys(List<KeySchemaElement> schema) {
        return schema.stream().<Object>map(k -> key(k.attributeName(), k.keyTypeAsString())).toList();
    }

    private static Set<Object> attributes(List<AttributeDefinition> definitions) {
        Set<Object> set = new HashSet<>();
        definitions.forEach(d -> set.add(attribute(d.attributeName(), d.attributeTypeAsString())));
        return set;
    }

    private static Map<String, Object> key(String name, String type) {
        return Map.of("AttributeName", name, "KeyType", type);
    }

    private static Map<String, Object> attribute(String name, String type) {
        return Map.of("AttributeName", name, "AttributeType", type);
    }
}
