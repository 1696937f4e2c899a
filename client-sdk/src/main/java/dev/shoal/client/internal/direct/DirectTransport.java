package dev.shoal.client.internal.direct;

import dev.shoal.client.DirectConfig;
import dev.shoal.client.internal.Transport;
import dev.shoal.storage.ErrorBoundary;
import dev.shoal.storage.ShoalEngine;
import dev.shoal.storage.api.NackEntry;
import dev.shoal.storage.api.ProduceRequest;
import dev.shoal.storage.api.ProducedMessage;
import dev.shoal.storage.api.QueueDescription;
import dev.shoal.storage.api.QueueService;
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

import java.util.List;

/**
 * Direct mode: every call goes straight to an embedded engine, which reads and writes S3 and
 * DynamoDB itself. Nothing to translate: the engine is the service the HTTP API wraps.
 */
public final class DirectTransport implements Transport {

    private final QueueService engine;

    public DirectTransport(QueueService engine) {
        this.engine = engine;
    }

    public static DirectTransport of(DirectConfig config) {
        return new DirectTransport(ErrorBoundary.around(ShoalEngine.builder()
                .dynamo(config.dynamo())
                .s3(config.s3())
                .tables(config.tables())
                .bucket(config.bucket())
                .receiptSecret(config.receiptSecret())
                .segmentCacheBytes(config.segmentCacheBytes())
                .build()));
    }

    @Override
    public String description() {
        return "direct";
    }

    @Override
    public QueueDescription createQueue(String name, QueueSettings settings) {
        return engine.createQueue(name, settings);
    }

    @Override
    public QueueDescription updateQueue(String name, QueueSettings settings) {
        return engine.updateQueue(name, settings);
    }

    @Override
    public QueueDescription describeQueue(String name) {
        return engine.describeQueue(name);
    }

    @Override
    public String queueId(String name) {
        return engine.queueId(name);
    }

    @Override
    public List<String> listQueues(String prefix) {
        return engine.listQueues(prefix);
    }

    @Override
    public void deleteQueue(String name) {
        engine.deleteQueue(name);
    }

    @Override
    public void purgeQueue(String name) {
        engine.purgeQueue(name);
    }

    @Override
    public SubscriptionDescription createSubscription(String queue, String name, SubscriptionSettings settings) {
        return engine.createSubscription(queue, name, settings);
    }

    @Override
    public SubscriptionDescription updateSubscription(String queue, String name, SubscriptionSettings settings) {
        return engine.updateSubscription(queue, name, settings);
    }

    @Override
    public SubscriptionDescription describeSubscription(String queue, String name) {
        return engine.describeSubscription(queue, name);
    }

    @Override
    public List<SubscriptionDescription> listSubscriptions(String queue) {
        return engine.listSubscriptions(queue);
    }

    @Override
    public void deleteSubscription(String queue, String name) {
        engine.deleteSubscription(queue, name);
    }

    @Override
    public void seek(String queue, String subscription, SeekTarget target) {
        engine.seek(queue, subscription, target);
    }

    @Override
    public List<ProducedMessage> produce(String queue, ProduceRequest request) {
        return engine.produce(queue, request);
    }

    @Override
    public List<ReceivedMessage> receive(String queue, String subscription, ReceiveRequest request) {
        return engine.receive(queue, subscription, request);
    }

    @Override
    public List<ReceiptResult> ack(String queue, String subscription, List<String> receipts) {
        return engine.ack(queue, subscription, receipts);
    }

    @Override
    public List<ReceiptResult> nack(String queue, String subscription, List<NackEntry> entries) {
        return engine.nack(queue, subscription, entries);
    }

    @Override
    public List<ReceiptResult> changeVisibility(String queue, String subscription, List<VisibilityChange> changes) {
        return engine.changeVisibility(queue, subscription, changes);
    }

    @Override
    public RedriveResult redrive(String deadLetterQueue, RedriveRequest request) {
        return engine.redrive(deadLetterQueue, request);
    }

    @Override
    public void close() {
        // the engine holds no resources of its own; the AWS clients belong to the caller
    }
}
