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
import software.amazon.awscdk.services.kms.IKey;
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

    private final boolean versioned;
    private final IKey key;

    /**
     * @param versioned keep old object versions in the bucket
     * @param key       a customer-managed key for the bucket and tables, or null for AWS's keys
     */
    public Storage(Construct scope, String id, ShoalTables tables, BucketSettings settings, RemovalPolicy removal,
            boolean versioned, IKey key) {
        super(scope, id);
        this.versioned = versioned;
        this.key = key;
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
        Bucket.Builder bucket = Bucket.Builder.create(this, "Segments");
        if (key == null) {
            // S3-managed keys (SSE-S3) by default: free, and every segment GET/PUT stays one request.
            bucket.encryption(BucketEncryption.S3_MANAGED);
        } else {
            // SSE-KMS with a bucket key: one KMS call per bucket key period, not one per request.
            bucket.encryption(BucketEncryption.KMS).encryptionKey(key).bucketKeyEnabled(true);
        }
        return bucket
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .enforceSsl(true)
                .minimumTlsVersion(1.2)
                // Off by default: segments are immutable and written once under unique keys, so
                // versions only keep deleted segments (billed) for recovery from a bad delete.
                .versioned(versioned)
                .lifecycleRules(lifecycle(settings))
                .removalPolicy(removal)
                .build();
    }

    private List<LifecycleRule> lifecycle(BucketSettings settings) {
        List<LifecycleRule> rules = new java.util.ArrayList<>(List.of(
                        LifecycleRule.builder()
                                .id("abort-incomplete-multipart-uploads")
                                .abortIncompleteMultipartUploadAfter(Duration.days(settings.incompleteUploadDays()))
                                .build(),
                        LifecycleRule.builder()
                                .id("expire-orphans")
                                .prefix(settings.orphanPrefix())
                                .expiration(Duration.days(settings.orphanExpirationDays()))
                                .build()));
        if (versioned) {
            // what a delete leaves behind goes after the same grace period as orphans
            rules.add(LifecycleRule.builder()
                    .id("expire-old-versions")
                    .noncurrentVersionExpiration(Duration.days(settings.orphanExpirationDays()))
                    .build());
        }
        return rules;
    }

    private Table logTable(ShoalTables tables, RemovalPolicy removal) {
        return Table.Builder.create(this, "Log")
                .tableName(tables.logTable())
                .partitionKey(attribute(LOG_PARTITION_KEY, AttributeType.STRING))
                .sortKey(attribute(LOG_SORT_KEY, AttributeType.NUMBER))
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .encryption(key == null ? TableEncryption.DEFAULT : TableEncryption.CUSTOMER_MANAGED)
                .encryptionKey(key)
                .pointInTimeRecoverySpecification(pitr())
                // With RETAIN (the default) deleting a table takes turning this off first; DESTROY
                // asks for stacks that tear down (tests, trials), so it stays off there.
                .deletionProtection(removal == RemovalPolicy.RETAIN)
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
                .encryption(key == null ? TableEncryption.DEFAULT : TableEncryption.CUSTOMER_MANAGED)
                .encryptionKey(key)
                .pointInTimeRecoverySpecification(pitr())
                .deletionProtection(removal == RemovalPolicy.RETAIN)
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
