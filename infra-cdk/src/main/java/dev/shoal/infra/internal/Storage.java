package dev.shoal.infra.internal;

import dev.shoal.infra.BucketSettings;
import dev.shoal.storage.dynamodb.ShoalTables;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.GlobalSecondaryIndexProps;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.ProjectionType;
import software.amazon.awscdk.services.dynamodb.StreamViewType;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.dynamodb.TableEncryption;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.constructs.Construct;

import java.util.List;

import static dev.shoal.storage.dynamodb.ShoalTables.*;

/**
 * Where Shoal keeps its data: the segment bucket and the two tables, named and keyed from
 * {@link ShoalTables} so that the deployment and the local stack cannot drift.
 */
public final class Storage extends Construct {

    private final Bucket bucket;
    private final Table logTable;
    private final Table stateTable;

    public Storage(Construct scope, String id, ShoalTables tables, BucketSettings settings, RemovalPolicy removal) {
        super(scope, id);
        this.bucket = segmentBucket(settings, removal);
        this.logTable = logTable(tables, removal);
        this.stateTable = stateTable(tables, removal);
    }

    /** ARN of the state table's {@code due} index, for IAM: Query on an index names the index. */
    public String dueIndexArn() {
        return stateTable.getTableArn() + "/index/" + DUE_INDEX;
    }

    public Bucket bucket() {
        return bucket;
    }

    public Table logTable() {
        return logTable;
    }

    public Table stateTable() {
        return stateTable;
    }

    private Bucket segmentBucket(BucketSettings settings, RemovalPolicy removal) {
        return Bucket.Builder.create(this, "Segments")
                // S3-managed keys (SSE-S3): free, and every segment GET/PUT stays one request.
                // SSE-KMS would add a KMS call per request (bucket keys soften it) and $1/month a key.
                .encryption(BucketEncryption.S3_MANAGED)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .enforceSsl(true)
                .minimumTlsVersion(1.2)
                // Segments are immutable and written once under unique keys: versions would only
                // keep deleted segments billed.
                .versioned(false)
                .lifecycleRules(List.of(
                        LifecycleRule.builder()
                                .id("abort-incomplete-multipart-uploads")
                                .abortIncompleteMultipartUploadAfter(Duration.days(settings.incompleteUploadDays()))
                                .build(),
                        LifecycleRule.builder()
                                .id("expire-orphans")
                                .prefix(settings.orphanPrefix())
                                .expiration(Duration.days(settings.orphanExpirationDays()))
                                .build()))
                .removalPolicy(removal)
                .build();
    }

    private Table logTable(ShoalTables tables, RemovalPolicy removal) {
        return Table.Builder.create(this, "Log")
                .tableName(tables.logTable())
                .partitionKey(attribute(LOG_PARTITION_KEY, AttributeType.STRING))
                .sortKey(attribute(LOG_SORT_KEY, AttributeType.NUMBER))
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .encryption(TableEncryption.DEFAULT)
                .pointInTimeRecoverySpecification(pitr())
                // New images only: the dispatcher needs to know which partition got a segment.
                .stream(StreamViewType.NEW_IMAGE)
                .removalPolicy(removal)
                .build();
    }

    private Table stateTable(ShoalTables tables, RemovalPolicy removal) {
        Table table = Table.Builder.create(this, "State")
                .tableName(tables.stateTable())
                .partitionKey(attribute(STATE_PARTITION_KEY, AttributeType.STRING))
                .sortKey(attribute(STATE_SORT_KEY, AttributeType.STRING))
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .encryption(TableEncryption.DEFAULT)
                .pointInTimeRecoverySpecification(pitr())
                .timeToLiveAttribute(STATE_TTL_ATTRIBUTE)
                .removalPolicy(removal)
                .build();
        table.addGlobalSecondaryIndex(GlobalSecondaryIndexProps.builder()
                .indexName(DUE_INDEX)
                .partitionKey(attribute(DUE_INDEX_PARTITION_KEY, AttributeType.STRING))
                .sortKey(attribute(DUE_INDEX_SORT_KEY, AttributeType.NUMBER))
                // Keys only, as in TableDefinitions: updates that do not move a chunk in time cost no index write.
                .projectionType(ProjectionType.KEYS_ONLY)
                .build());
        return table;
    }

    private static PointInTimeRecoverySpecification pitr() {
        return PointInTimeRecoverySpecification.builder().pointInTimeRecoveryEnabled(true).build();
    }

    private static Attribute attribute(String name, AttributeType type) {
        return Attribute.builder().name(name).type(type).build();
    }
}
