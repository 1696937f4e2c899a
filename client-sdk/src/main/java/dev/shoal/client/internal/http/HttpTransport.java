package dev.shoal.client.internal.http;

import dev.shoal.client.internal.Transport;
import dev.shoal.client.internal.http.Wire.AckBody;
import dev.shoal.client.internal.http.Wire.NackBody;
import dev.shoal.client.internal.http.Wire.NackEntryBody;
import dev.shoal.client.internal.http.Wire.ProduceBody;
import dev.shoal.client.internal.http.Wire.ProduceResult;
import dev.shoal.client.internal.http.Wire.QueueList;
import dev.shoal.client.internal.http.Wire.QueueView;
import dev.shoal.client.internal.http.Wire.ReceiptResults;
import dev.shoal.client.internal.http.Wire.ReceiveBody;
import dev.shoal.client.internal.http.Wire.ReceiveResult;
import dev.shoal.client.internal.http.Wire.RedriveBody;
import dev.shoal.client.internal.http.Wire.RedriveView;
import dev.shoal.client.internal.http.Wire.SubscriptionList;
import dev.shoal.client.internal.http.Wire.SubscriptionView;
import dev.shoal.client.internal.http.Wire.VisibilityBody;
import dev.shoal.client.internal.http.Wire.VisibilityEntryBody;
import dev.shoal.storage.api.Limits;
import dev.shoal.storage.api.MessageId;
import dev.shoal.storage.api.NackEntry;
import dev.shoal.storage.api.NotFoundException;
import dev.shoal.storage.api.ProduceRequest;
import dev.shoal.storage.api.ProducedMessage;
import dev.shoal.storage.api.QueueDescription;
import dev.shoal.storage.api.QueueSettings;
import dev.shoal.storage.api.ReceiptResult;
import dev.shoal.storage.api.ReceiveRequest;
import dev.shoal.storage.api.ReceivedMessage;
import dev.shoal.storage.api.RedriveRequest;
import dev.shoal.storage.api.RedriveResult;
import dev.shoal.storage.api.SeekTarget;
import dev.shoal.storage.api.SubscriptionDescription;
import dev.shoal.storage.api.SubscriptionSettings;
import dev.shoal.storage.api.VisibilityChange;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The native API over HTTP: one method per route of {@code docs/api.md}. Holds the
 * {@link QueueService} contract where the API differs from it: {@code PUT} creates or replaces,
 * so create reads first (an existing queue with other settings is a conflict, as in the engine)
 * and update refuses a queue that does not exist. Does not retry.
 *
 * @see dev.shoal.storage.api.QueueService
 */
public final class HttpTransport implements Transport {


    private final HttpExchange http;
    private final URI endpoint;

    HttpTransport(URI endpoint, HttpClient client, RequestSigner signer, Duration requestTimeout) {
        this.endpoint = endpoint;
        this.http = new HttpExchange(endpoint, client, signer, requestTimeout);
    }

    @Override
    public String description() {
        return "http " + endpoint;
    }

    private static final Map<String, String> CREATE_ONLY = Map.of("if-none-match", "*");
    private static final Map<String, String> UPDATE_ONLY = Map.of("if-match", "*");

    private static String queuePath(String queue) {
        Limits.checkQueueNameSyntax("queue", queue);
        return "/v1/queues/" + queue; // validated names are URL-safe: letters, digits, '-', '_', '.fifo'
    }

    private static String subscriptionPath(String queue, String subscription) {
        Limits.checkSubscriptionName("subscription", subscription);
        return queuePath(queue) + "/subscriptions/" + subscription;
    }

    // ---- queues

    @Override
    public QueueDescription createQueue(String name, QueueSettings settings) {
        Limits.checkQueueName("name", name, settings.fifo());
        // If-None-Match: * makes the PUT create-only: same settings are a no-op, others a 409 QueueAlreadyExists.
        return WireCodec.queue(http.send("PUT", queuePath(name), "", WireCodec.queueBody(settings), Duration.ZERO, false,
                CREATE_ONLY).expect(QueueView.class));
    }

    @Override
    public QueueDescription updateQueue(String name, QueueSettings settings) {
        // If-Match: * makes the PUT update-only: a missing queue is a 404, as the contract says.
        return WireCodec.queue(http.send("PUT", queuePath(name), "", WireCodec.queueBody(settings), Duration.ZERO, false,
                UPDATE_ONLY).expect(QueueView.class));
    }

    @Override
    public QueueDescription describeQueue(String name) {
        return WireCodec.queue(http.get(queuePath(name), "").expect(QueueView.class));
    }

    /** The native API does not expose queue incarnation ids: they are for the server's faces, not its clients. */
    @Override
    public String queueId(String name) {
        throw new UnsupportedOperationException("queue ids are internal to the Shoal server; the native API does not expose them");
    }

    @Override
    public List<String> listQueues(String prefix) {
        String query = prefix == null || prefix.isEmpty() ? "" : "prefix=" + URLEncoder.encode(prefix, StandardCharsets.UTF_8);
        QueueList list = http.get("/v1/queues", query).expect(QueueList.class);
        return list.queues() == null ? List.of() : List.copyOf(list.queues());
    }

    @Override
    public void deleteQueue(String name) {
        http.send("DELETE", queuePath(name), "", null, Duration.ZERO, false).expectNoContent();
    }

    @Override
    public void purgeQueue(String name) {
        http.send("POST", queuePath(name) + "/purge", "", null, Duration.ZERO, false).expectNoContent();
    }

    // ---- subscriptions

    @Override
    public SubscriptionDescription createSubscription(String queue, String name, SubscriptionSettings settings) {
        return putSubscription(queue, name, settings, CREATE_ONLY);
    }

    @Override
    public SubscriptionDescription updateSubscription(String queue, String name, SubscriptionSettings settings) {
        return putSubscription(queue, name, settings, UPDATE_ONLY);
    }

    private SubscriptionDescription putSubscription(String queue, String name, SubscriptionSettings settings, Map<String, String> condition) {
        return WireCodec.subscription(http.send("PUT", subscriptionPath(queue, name), "", WireCodec.subscriptionBody(settings),
                Duration.ZERO, false, condition).expect(SubscriptionView.class));
    }

    @Override
    public SubscriptionDescription describeSubscription(String queue, String name) {
        return WireCodec.subscription(http.get(subscriptionPath(queue, name), "").expect(SubscriptionView.class));
    }

    @Override
    public List<SubscriptionDescription> listSubscriptions(String queue) {
        SubscriptionList list = http.get(queuePath(queue) + "/subscriptions", "").expect(SubscriptionList.class);
        return list.subscriptions() == null ? List.of() : list.subscriptions().stream().map(WireCodec::subscription).toList();
    }

    @Override
    public void deleteSubscription(String queue, String name) {
        http.send("DELETE", subscriptionPath(queue, name), "", null, Duration.ZERO, false).expectNoContent();
    }

    @Override
    public void seek(String queue, String subscription, SeekTarget target) {
        http.send("POST", subscriptionPath(queue, subscription) + "/seek", "", WireCodec.seek(target), Duration.ZERO, false)
                .expectNoContent();
    }

    // ---- messages

    @Override
    public List<ProducedMessage> produce(String queue, ProduceRequest request) {
        ProduceBody body = new ProduceBody(request.messages().stream().map(WireCodec::message).toList(), request.partition(),
                request.producerId(), request.producerId() == null ? null : request.sequence());
        ProduceResult result = http.send("POST", queuePath(queue) + "/messages", "", body, Duration.ZERO, true)
                .expect(ProduceResult.class);
        return result.results().stream().map(p -> new ProducedMessage(MessageId.parse(p.id()), p.duplicate())).toList();
    }

    @Override
    public List<ReceivedMessage> receive(String queue, String subscription, ReceiveRequest request) {
        ReceiveBody body = new ReceiveBody(request.maxMessages(), WireDurations.format(request.visibilityTimeout()),
                WireDurations.format(request.waitTime()), request.receiveAttemptId());
        ReceiveResult result = http.send("POST", subscriptionPath(queue, subscription) + "/receive", "", body,
                request.waitTime(), false).expect(ReceiveResult.class);
        return result.messages() == null ? List.of() : result.messages().stream().map(WireCodec::received).toList();
    }

    @Override
    public List<ReceiptResult> ack(String queue, String subscription, List<String> receipts) {
        return receipts(http.send("POST", subscriptionPath(queue, subscription) + "/ack", "", new AckBody(receipts),
                Duration.ZERO, false), receipts);
    }

    @Override
    public List<ReceiptResult> nack(String queue, String subscription, List<NackEntry> entries) {
        NackBody body = new NackBody(entries.stream()
                .map(e -> new NackEntryBody(e.receipt(), WireDurations.format(e.delay()))).toList());
        return receipts(http.send("POST", subscriptionPath(queue, subscription) + "/nack", "", body, Duration.ZERO, false),
                entries.stream().map(NackEntry::receipt).toList());
    }

    @Override
    public List<ReceiptResult> changeVisibility(String queue, String subscription, List<VisibilityChange> changes) {
        VisibilityBody body = new VisibilityBody(changes.stream()
                .map(c -> new VisibilityEntryBody(c.receipt(), WireDurations.format(c.timeout()))).toList());
        return receipts(http.send("POST", subscriptionPath(queue, subscription) + "/visibility", "", body, Duration.ZERO, false),
                changes.stream().map(VisibilityChange::receipt).toList());
    }

    /**
     * Per-receipt outcomes. The API answers 200, 207 (some failed) or, when every entry failed,
     * the first failure's status, always with one result per entry; only an answer without
     * results (the whole call was refused) is thrown.
     */
    private static List<ReceiptResult> receipts(HttpExchange.Response r, List<String> sent) {
        ReceiptResults body = WireJson.readOrNull(r.body(), ReceiptResults.class);
        if (body == null || body.results() == null || body.results().size() != sent.size()) {
            r.expectSuccess();
            throw new IllegalStateException("the API answered " + r.status() + " without one result per receipt");
        }
        List<ReceiptResult> out = new ArrayList<>(sent.size());
        for (Wire.ReceiptOutcome o : body.results()) {
            out.add(o.ok() ? ReceiptResult.ok(o.receipt())
                    : ReceiptResult.failed(o.receipt(), HttpErrors.entry(o.code(), o.message(), o.field(), r.requestId())));
        }
        return out;
    }

    @Override
    public RedriveResult redrive(String deadLetterQueue, RedriveRequest request) {
        RedriveBody body = new RedriveBody(request.targetQueue(), request.maxMessages(), request.maxPerSecond());
        RedriveView v = http.send("POST", queuePath(deadLetterQueue) + "/redrive", "", body,
                Duration.ofSeconds(request.maxMessages() / request.maxPerSecond() + 1), false).expect(RedriveView.class);
        return new RedriveResult(v.moved(), v.remaining());
    }

    @Override
    public void close() {
        // the HttpClient belongs to whoever built it; ClientFactory closes its own
    }
}
