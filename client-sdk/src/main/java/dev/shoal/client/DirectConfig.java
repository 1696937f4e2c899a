package dev.shoal.client;

import dev.shoal.storage.dynamodb.ShoalTables;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

import java.util.Objects;

/**
 * Direct mode: the client embeds Shoal's storage engine and talks to S3 and DynamoDB itself,
 * with the caller's IAM permissions. No API Gateway or Lambda per call, and no payload limit
 * beyond the queue's {@code maxMessageBytes} (up to 64 MiB). The clients stay the caller's:
 * closing the Shoal client does not close them.
 *
 * @param dynamo         a DynamoDB client for the deployment's region
 * @param s3             an S3 client for the deployment's bucket
 * @param tablesPrefix   the deployment's table-name prefix (the CDK stack's {@code tablesPrefix}, "shoal" by default)
 * @param bucket         the deployment's segment bucket
 * @param receiptSecret  the deployment's receipt secret (at least 32 bytes), the same the API functions use,
 *                       so receipts from either mode are accepted by both
 * @param segmentCacheBytes bytes of segments kept in memory (0 turns the cache off)
 */
public record DirectConfig(DynamoDbClient dynamo, S3Client s3, String tablesPrefix, String bucket, byte[] receiptSecret,
                           long segmentCacheBytes) {

    public DirectConfig {
        Objects.requireNonNull(dynamo, "dynamo");
        Objects.requireNonNull(s3, "s3");
        Objects.requireNonNull(tablesPrefix, "tablesPrefix");
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(receiptSecret, "receiptSecret");
        if (receiptSecret.length < 32) {
            throw new IllegalArgumentException("receiptSecret must be at least 32 bytes (the deployment's secret), was " + receiptSecret.length);
        }
        receiptSecret = receiptSecret.clone();
        if (segmentCacheBytes < 0) {
            throw new IllegalArgumentException("segmentCacheBytes must not be negative");
        }
    }

    @Override
    public byte[] receiptSecret() {
        return receiptSecret.clone();
    }

    public ShoalTables tables() {
        return new ShoalTables(tablesPrefix);
    }

    @Override
    public String toString() {
        return "DirectConfig[tablesPrefix=" + tablesPrefix + ", bucket=" + bucket + "]"; // never the secret
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private DynamoDbClient dynamo;
        private S3Client s3;
        private String tablesPrefix = "shoal";
        private String bucket;
        private byte[] receiptSecret;
        private long segmentCacheBytes = 64L * 1024 * 1024;

        public Builder dynamo(DynamoDbClient v) { this.dynamo = v; return this; }
        public Builder s3(S3Client v) { this.s3 = v; return this; }
        public Builder tablesPrefix(String v) { this.tablesPrefix = v; return this; }
        public Builder bucket(String v) { this.bucket = v; return this; }
        public Builder receiptSecret(byte[] v) { this.receiptSecret = v; return this; }
        public Builder segmentCacheBytes(long v) { this.segmentCacheBytes = v; return this; }

        public DirectConfig build() {
            return new DirectConfig(dynamo, s3, tablesPrefix, bucket, receiptSecret, segmentCacheBytes);
        }
    }
}
