package dev.shoal.client.internal.http;

import dev.shoal.client.internal.http.Wire.AttributeBody;
import dev.shoal.client.internal.http.Wire.DeadLetterBody;
import dev.shoal.client.internal.http.Wire.Message;
import dev.shoal.client.internal.http.Wire.MessageBody;
import dev.shoal.client.internal.http.Wire.PushBody;
import dev.shoal.client.internal.http.Wire.QueueBody;
import dev.shoal.client.internal.http.Wire.QueueView;
import dev.shoal.client.internal.http.Wire.RetryPolicyBody;
import dev.shoal.client.internal.http.Wire.SeekBody;
import dev.shoal.client.internal.http.Wire.StatsView;
import dev.shoal.client.internal.http.Wire.SubscriptionBody;
import dev.shoal.client.internal.http.Wire.SubscriptionView;
import dev.shoal.storage.api.DeadLetterPolicy;
import dev.shoal.storage.api.DeduplicationScope;
import dev.shoal.storage.api.FifoThroughputLimit;
import dev.shoal.storage.api.MessageAttribute;
import dev.shoal.storage.api.MessageId;
import dev.shoal.storage.api.NewMessage;
import dev.shoal.storage.api.PushTarget;
import dev.shoal.storage.api.QueueDescription;
import dev.shoal.storage.api.QueueSettings;
import dev.shoal.storage.api.ReceivedMessage;
import dev.shoal.storage.api.RetryPolicy;
import dev.shoal.storage.api.SeekTarget;
import dev.shoal.storage.api.SubscriptionDescription;
import dev.shoal.storage.api.SubscriptionSettings;
import dev.shoal.storage.api.SubscriptionStats;
import dev.shoal.storage.api.Utf8Text;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Domain values to and from the wire records. Every setting is sent explicitly: a PUT is the whole configuration. */
final class WireCodec {

    private static final String REPORT_BATCH_ITEM_FAILURES = "ReportBatchItemFailures";

    static final String UNLIMITED = "unlimited";

    private WireCodec() {
    }

    // ---- settings

    static QueueBody queueBody(QueueSettings s) {
        SubscriptionBody sub = subscriptionBody(s.defaultSubscription());
        return new QueueBody(s.fifo(), s.partitions(), s.retention() == null ? UNLIMITED : WireDurations.format(s.retention()),
                WireDurations.format(s.deliveryDelay()), s.contentBasedDeduplication(), s.maxMessageBytes(), s.deleteOnAck(),
                WireDurations.format(s.batchWindow()), s.batchWindowMessages(),
                sub.visibilityTimeout(), sub.retryPolicy(), sub.deadLetter(), sub.push(),
                s.fifo() ? s.deduplicationScope().text() : null, s.fifo() ? s.fifoThroughputLimit().text() : null);
    }

    static SubscriptionBody subscriptionBody(SubscriptionSettings s) {
        RetryPolicy r = s.retryPolicy();
        DeadLetterPolicy d = s.deadLetter();
        PushTarget p = s.push();
        return new SubscriptionBody(WireDurations.format(s.visibilityTimeout()),
                new RetryPolicyBody(WireDurations.format(r.initialDelay()), r.multiplier(), WireDurations.format(r.maxDelay())),
                d == null ? null : new DeadLetterBody(d.queue(), d.maxReceiveCount()),
                p == null ? null : new PushBody(p.target(), p.batchSize(), WireDurations.format(p.batchingWindow()),
                        p.maxConcurrency(), WireDurations.format(p.timeout()), p.eventFormat().wireName(),
                        p.reportBatchItemFailures() ? List.of(REPORT_BATCH_ITEM_FAILURES) : List.of()));
    }

    static QueueSettings queueSettings(QueueBody b) {
        QueueSettings.Builder s = QueueSettings.builder();
        if (b.fifo() != null) s.fifo(b.fifo());
        if (b.partitions() != null) s.partitions(b.partitions());
        if (b.retention() != null) s.retention(UNLIMITED.equals(b.retention()) ? null : WireDurations.parse(b.retention()));
        if (b.deliveryDelay() != null) s.deliveryDelay(WireDurations.parse(b.deliveryDelay()));
        if (b.contentBasedDeduplication() != null) s.contentBasedDeduplication(b.contentBasedDeduplication());
        if (b.maxMessageBytes() != null) s.maxMessageBytes(b.maxMessageBytes());
        if (b.deleteOnAck() != null) s.deleteOnAck(b.deleteOnAck());
        if (b.batchWindow() != null) s.batchWindow(WireDurations.parse(b.batchWindow()));
        if (b.batchWindowMessages() != null) s.batchWindowMessages(b.batchWindowMessages());
        if (b.deduplicationScope() != null) s.deduplicationScope(DeduplicationScope.of("deduplicationScope", b.deduplicationScope()));
        if (b.fifoThroughputLimit() != null) s.fifoThroughputLimit(FifoThroughputLimit.of("fifoThroughputLimit", b.fifoThroughputLimit()));
        s.defaultSubscription(subscriptionSettings(new SubscriptionBody(b.visibilityTimeout(), b.retryPolicy(), b.deadLetter(), b.push())));
        return s.build();
    }

    static SubscriptionSettings subscriptionSettings(SubscriptionBody b) {
        SubscriptionSettings.Builder s = SubscriptionSettings.builder();
        if (b.visibilityTimeout() != null) s.visibilityTimeout(WireDurations.parse(b.visibilityTimeout()));
        if (b.retryPolicy() != null) {
            RetryPolicyBody r = b.retryPolicy();
            RetryPolicy d = RetryPolicy.DEFAULT;
            s.retryPolicy(new RetryPolicy(r.initialDelay() != null ? WireDurations.parse(r.initialDelay()) : d.initialDelay(),
                    r.multiplier() != null ? r.multiplier() : d.multiplier(),
                    r.maxDelay() != null ? WireDurations.parse(r.maxDelay()) : d.maxDelay()));
        }
        if (b.deadLetter() != null) s.deadLetter(new DeadLetterPolicy(b.deadLetter().queue(), b.deadLetter().maxReceiveCount()));
        if (b.push() != null) {
            PushBody p = b.push();
            PushTarget d = PushTarget.of(p.target());
            s.push(new PushTarget(p.target(), p.batchSize() != null ? p.batchSize() : d.batchSize(),
                    p.batchingWindow() != null ? WireDurations.parse(p.batchingWindow()) : d.batchingWindow(),
                    p.maxConcurrency() != null ? p.maxConcurrency() : d.maxConcurrency(),
                    p.timeout() != null ? WireDurations.parse(p.timeout()) : d.timeout(),
                    p.eventFormat() != null ? PushTarget.EventFormat.parse("push.eventFormat", p.eventFormat()) : d.eventFormat(),
                    p.functionResponseTypes() != null ? p.functionResponseTypes().contains(REPORT_BATCH_ITEM_FAILURES)
                            : d.reportBatchItemFailures()));
        }
        return s.build();
    }

    static QueueDescription queue(QueueView v) {
        return new QueueDescription(v.name(), queueSettings(v.settings()), time(v.createdAt()), stats(v.stats()));
    }

    static SubscriptionDescription subscription(SubscriptionView v) {
        return new SubscriptionDescription(v.queue(), v.name(), subscriptionSettings(v.settings()), time(v.createdAt()), stats(v.stats()));
    }

    static SubscriptionStats stats(StatsView s) {
        return s == null ? SubscriptionStats.EMPTY
                : new SubscriptionStats(s.visible(), s.inFlight(), s.delayed(), WireDurations.parse(s.oldestUnackedAge()));
    }

    static SeekBody seek(SeekTarget target) {
        return switch (target) {
            case SeekTarget.Earliest ignored -> new SeekBody("earliest", null, null);
            case SeekTarget.Latest ignored -> new SeekBody("latest", null, null);
            case SeekTarget.AtTime t -> new SeekBody(null, t.time().toString(), null);
            case SeekTarget.AtOffsets o -> {
                Map<String, Long> offsets = new TreeMap<>();
                o.offsets().forEach((p, off) -> offsets.put(Integer.toString(p), off));
                yield new SeekBody(null, null, offsets);
            }
        };
    }

    // ---- messages

    static MessageBody message(NewMessage m) {
        byte[] body = m.bodyUnsafe();
        String text = utf8(body);
        Map<String, AttributeBody> attributes = new LinkedHashMap<>();
        m.attributes().forEach((name, a) -> attributes.put(name, attribute(a)));
        return new MessageBody(text, text == null ? Base64.getEncoder().encodeToString(body) : null,
                attributes.isEmpty() ? null : attributes, m.groupId(), m.dedupId(), WireDurations.format(m.delay()));
    }

    private static AttributeBody attribute(MessageAttribute a) {
        return a.isBinary() ? new AttributeBody(a.dataType(), null, Base64.getEncoder().encodeToString(a.value()))
                : new AttributeBody(a.dataType(), a.stringValue(), null);
    }

    static ReceivedMessage received(Message m) {
        byte[] body = m.body() != null ? m.body().getBytes(StandardCharsets.UTF_8)
                : m.bodyBase64() != null ? Base64.getDecoder().decode(m.bodyBase64()) : new byte[0];
        Map<String, MessageAttribute> attributes = new LinkedHashMap<>();
        if (m.attributes() != null) {
            m.attributes().forEach((name, a) -> attributes.put(name, a.valueBase64() != null
                    ? new MessageAttribute(a.type(), Base64.getDecoder().decode(a.valueBase64()))
                    : new MessageAttribute(a.type(), a.value() == null ? new byte[0] : a.value().getBytes(StandardCharsets.UTF_8))));
        }
        return new ReceivedMessage(MessageId.parse(m.id()), body, attributes, m.groupId(), m.dedupId(), m.receiveCount(),
                time(m.sentAt()), time(m.firstReceivedAt()), m.receipt());
    }

    /** The body as text when it is valid UTF-8, else null (it then travels as base64). */
    static String utf8(byte[] body) {
        return Utf8Text.decode(body).orElse(null);
    }

    private static Instant time(String text) {
        return text == null ? null : Instant.parse(text);
    }
}
