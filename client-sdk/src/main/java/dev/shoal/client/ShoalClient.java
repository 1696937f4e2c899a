package dev.shoal.client;

import dev.shoal.client.internal.ClientFactory;
import dev.shoal.storage.api.Limits;
import dev.shoal.storage.api.NewMessage;
import dev.shoal.storage.api.ProducedMessage;
import dev.shoal.storage.api.QueueDescription;
import dev.shoal.storage.api.QueueService;
import dev.shoal.storage.api.QueueSettings;
import dev.shoal.storage.api.ReceiptResult;
import dev.shoal.storage.api.ReceivedMessage;
import dev.shoal.storage.api.RedriveRequest;
import dev.shoal.storage.api.RedriveResult;
import dev.shoal.storage.api.SeekTarget;
import dev.shoal.storage.api.SubscriptionDescription;
import dev.shoal.storage.api.SubscriptionSettings;
import dev.shoal.storage.api.SubscriptionStats;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.Region;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Every operation of Shoal's native API, synchronous; {@link #async()} has the same ones
 * returning {@code CompletableFuture}s. Build one per application and share it: it is
 * thread-safe. Two transports behave the same way: HTTP (SigV4-signed calls to the API, the
 * default) and direct (the storage engine embedded, see {@link DirectConfig}).
 *
 * <p>Errors are the storage layer's few kinds, each telling what to do:
 * {@link dev.shoal.storage.api.InvalidRequestException} (fix the call; nothing was written),
 * {@link dev.shoal.storage.api.NotFoundException}, {@link dev.shoal.storage.api.ConflictException},
 * {@link dev.shoal.storage.api.RetryableException} (passing; already retried per {@link RetryOptions})
 * and {@link dev.shoal.storage.api.CommitStateUnknownException} (a produce may or may not have
 * happened). {@code code()} is the API's stable error code; over HTTP they also implement
 * {@link RemoteError}. Batches of receipts (ack, nack, visibility) report per receipt instead of
 * throwing.
 */
public interface ShoalClient extends AutoCloseable {

    static Builder builder() {
        return new Builder();
    }

    // ---- queues

    /** Creates a queue with its default subscription; again with the same settings is a no-op, with others a ConflictException ("QueueAlreadyExists"). */
    QueueDescription createQueue(String queue, QueueSettings settings);

    /** Creates a queue with default settings (FIFO when the name ends in ".fifo"). */
    default QueueDescription createQueue(String queue) {
        return createQueue(queue, QueueSettings.builder().fifo(queue.endsWith(Limits.FIFO_SUFFIX)).build());
    }

    /** Replaces a queue's settings; NotFoundException when it does not exist. */
    QueueDescription updateQueue(String queue, QueueSettings settings);

    QueueDescription describeQueue(String queue);

    /** Queue names in name order, those starting with {@code prefix} ("" for all). */
    List<String> listQueues(String prefix);

    default List<String> listQueues() {
        return listQueues("");
    }

    void deleteQueue(String queue);

    /** Drops every message currently in the queue, for every subscription. */
    void purgeQueue(String queue);

    // ---- subscriptions

    /** Creates a subscription that sees messages produced from now on; same no-op/conflict rule as createQueue. */
    SubscriptionDescription createSubscription(String queue, String subscription, SubscriptionSettings settings);

    SubscriptionDescription updateSubscription(String queue, String subscription, SubscriptionSettings settings);

    SubscriptionDescription describeSubscription(String queue, String subscription);

    List<SubscriptionDescription> listSubscriptions(String queue);

    /** Deletes a subscription; the default subscription cannot be deleted. */
    void deleteSubscription(String queue, String subscription);

    /** Moves a subscription to a point of the retained log (earliest, latest, a time, offsets). */
    void seek(String queue, String subscription, SeekTarget target);

    /** A subscription's approximate counts: visible, in flight, delayed, oldest unacked age. */
    SubscriptionStats stats(String queue, String subscription);

    // ---- messages

    /** Produces a batch; returns when it is committed, with one result per message in request order. */
    List<ProducedMessage> produce(ProduceMessagesRequest request);

    default List<ProducedMessage> produce(String queue, List<NewMessage> messages) {
        return produce(ProduceMessagesRequest.of(queue, messages));
    }

    List<ReceivedMessage> receive(ReceiveMessagesRequest request);

    List<ReceiptResult> ack(AckMessagesRequest request);

    List<ReceiptResult> nack(NackMessagesRequest request);

    List<ReceiptResult> changeVisibility(ChangeVisibilityRequest request);

    /** Moves dead letters back to their source queue (or {@code request.targetQueue()}). */
    RedriveResult redrive(String deadLetterQueue, RedriveRequest request);

    /** The same operations, returning futures. Shares this client's transport and lifetime. */
    ShoalAsyncClient async();

    /** Releases the transport (HTTP connections, the async executor); clients passed in by the caller stay open. */
    @Override
    void close();

    /**
     * Builds a client. HTTP by default: give {@link #endpoint}. Direct mode: give
     * {@link #direct(DirectConfig)} (or {@link #engine(QueueService)} to share an engine).
     */
    final class Builder {
        private URI endpoint;
        private String region;
        private AwsCredentialsProvider credentialsProvider;
        private HttpClient httpClient;
        private Duration requestTimeout = Duration.ofSeconds(30);
        private Duration connectTimeout = Duration.ofSeconds(10);
        private DirectConfig direct;
        private QueueService engine;
        private RetryOptions retry = RetryOptions.DEFAULT;
        private ShoalMetrics metrics = ShoalMetrics.NONE;

        private Builder() {
        }

        /** HTTP: the API's base URL, e.g. {@code https://abc123.execute-api.eu-west-1.amazonaws.com} or the local launcher's. */
        public Builder endpoint(URI v) { this.endpoint = v; return this; }
        public Builder endpoint(String v) { return endpoint(URI.create(v)); }
        /** HTTP: the region requests are signed for; default: from an execute-api endpoint's host, else the SDK's region chain. */
        public Builder region(Region v) { this.region = v.id(); return this; }
        public Builder region(String v) { this.region = v; return this; }
        /** HTTP: credentials to sign with; default: the AWS SDK's default chain (environment, profile, container, instance). */
        public Builder credentialsProvider(AwsCredentialsProvider v) { this.credentialsProvider = v; return this; }
        /** HTTP: a JDK client to use instead of the client's own; the caller keeps it and closes it. */
        public Builder httpClient(HttpClient v) { this.httpClient = v; return this; }
        /** HTTP: a call's time limit, besides a receive's wait time (default 30 s). */
        public Builder requestTimeout(Duration v) { this.requestTimeout = v; return this; }
        public Builder connectTimeout(Duration v) { this.connectTimeout = v; return this; }
        /** Direct mode over the caller's S3 and DynamoDB clients. */
        public Builder direct(DirectConfig v) { this.direct = v; return this; }
        /** Direct mode over an engine the caller built (and shares), for example {@code ShoalEngine}. */
        public Builder engine(QueueService v) { this.engine = v; return this; }
        public Builder retry(RetryOptions v) { this.retry = v; return this; }
        public Builder metrics(ShoalMetrics v) { this.metrics = v; return this; }

        public ShoalClient build() {
            Objects.requireNonNull(retry, "retry");
            Objects.requireNonNull(metrics, "metrics");
            int modes = (endpoint != null ? 1 : 0) + (direct != null ? 1 : 0) + (engine != null ? 1 : 0);
            if (modes != 1) {
                throw new IllegalStateException("give exactly one of endpoint(...) (HTTP), direct(...) or engine(...) (direct mode); got " + modes);
            }
            if (endpoint != null) {
                return ClientFactory.http(new ClientFactory.HttpOptions(endpoint, region, credentialsProvider, httpClient,
                        requestTimeout, connectTimeout), retry, metrics);
            }
            return direct != null ? ClientFactory.direct(direct, retry, metrics) : ClientFactory.engine(engine, retry, metrics);
        }
    }
}
