package dev.shoal.storage;

import dev.shoal.storage.dynamodb.ShoalTables;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * The storage engine: {@link QueueService} over S3 and DynamoDB. Build one per process and
 * share it; it is thread-safe.
 */
public final class ShoalEngine implements QueueService {

    private final Config config;

    private ShoalEngine(Config config) {
        this.config = config;
    }

    public static Builder builder() {
        return new Builder();
    }

    Config config() {
        return config;
    }

    @Override
    public QueueDescription createQueue(String name, QueueSettings settings) { throw notYet(); }
    @Override
    public QueueDescription updateQueue(String name, QueueSettings settings) { throw notYet(); }
    @Override
    public QueueDescription describeQueue(String name) { throw notYet(); }
    @Override
    public List<String> listQueues(String prefix) { throw notYet(); }
    @Override
    public void deleteQueue(String name) { throw notYet(); }
    @Override
    public void purgeQueue(String name) { throw notYet(); }
    @Override
    public SubscriptionDescription createSubscription(String queue, String name, SubscriptionSettings settings) { throw notYet(); }
    @Override
    public SubscriptionDescription updateSubscription(String queue, String name, SubscriptionSettings settings) { throw notYet(); }
    @Override
    public SubscriptionDescription describeSubscription(String queue, String name) { throw notYet(); }
    @Override
    public List<SubscriptionDescription> listSubscriptions(String queue) { throw notYet(); }
    @Override
    public void deleteSubscription(String queue, String name) { throw notYet(); }
    @Override
    public void seek(String queue, String subscription, SeekTarget target) { throw notYet(); }
    @Override
    public List<ProducedMessage> produce(String queue, ProduceRequest request) { throw notYet(); }
    @Override
    public List<ReceivedMessage> receive(String queue, String subscription, ReceiveRequest request) { throw notYet(); }
    @Override
    public List<ReceiptResult> ack(String queue, String subscription, List<String> receipts) { throw notYet(); }
    @Override
    public List<ReceiptResult> nack(String queue, String subscription, List<NackEntry> entries) { throw notYet(); }
    @Override
    public List<ReceiptResult> changeVisibility(String queue, String subscription, List<VisibilityChange> changes) { throw notYet(); }
    @Override
    public RedriveResult redrive(String deadLetterQueue, RedriveRequest request) { throw notYet(); }

    private static UnsupportedOperationException notYet() {
        return new UnsupportedOperationException("being built");
    }

    /** What an engine is made of; built by {@link Builder}. */
    record Config(DynamoDbClient dynamo, S3Client s3, ShoalTables tables, String bucket, Clock clock, byte[] receiptSecret) {
    }

    public static final class Builder {
        private DynamoDbClient dynamo;
        private S3Client s3;
        private ShoalTables tables = ShoalTables.withDefaultPrefix();
        private String bucket;
        private Clock clock = Clock.systemUTC();
        private byte[] receiptSecret;

        public Builder dynamo(DynamoDbClient v) { this.dynamo = v; return this; }
        public Builder s3(S3Client v) { this.s3 = v; return this; }
        public Builder tables(ShoalTables v) { this.tables = v; return this; }
        public Builder bucket(String v) { this.bucket = v; return this; }
        /** The clock every time decision uses; tests inject a manual one. */
        public Builder clock(Clock v) { this.clock = v; return this; }
        /** The deployment secret that authenticates receipt handles (at least 32 bytes). */
        public Builder receiptSecret(byte[] v) { this.receiptSecret = v.clone(); return this; }

        public ShoalEngine build() {
            Objects.requireNonNull(dynamo, "dynamo");
            Objects.requireNonNull(s3, "s3");
            Objects.requireNonNull(bucket, "bucket");
            Objects.requireNonNull(receiptSecret, "receiptSecret");
            if (receiptSecret.length < 32) {
                throw new IllegalArgumentException("receiptSecret must be at least 32 bytes");
            }
            return new ShoalEngine(new Config(dynamo, s3, tables, bucket, clock, receiptSecret));
        }
    }
}
