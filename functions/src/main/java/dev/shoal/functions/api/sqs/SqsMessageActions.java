package dev.shoal.functions.api.sqs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shoal.storage.api.ConflictException;
import dev.shoal.storage.api.Limits;
import dev.shoal.storage.api.MessageAttribute;
import dev.shoal.storage.api.NewMessage;
import dev.shoal.storage.api.ProducedMessage;
import dev.shoal.storage.api.QueueService;
import dev.shoal.storage.api.ReceiptResult;
import dev.shoal.storage.api.ReceiveRequest;
import dev.shoal.storage.api.ReceivedMessage;
import dev.shoal.storage.api.VisibilityChange;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.Set;

/**
 * SendMessage(Batch), ReceiveMessage, DeleteMessage(Batch), ChangeMessageVisibility(Batch) on a
 * queue's default subscription, with SQS's limits and digests.
 */
final class SqsMessageActions {

    /** SQS's limit on a whole SendMessageBatch (bodies and attributes). */
    static final int MAX_BATCH_BYTES = 1024 * 1024;
    static final int MAX_RECEIVE = 10;

    private final QueueService service;

    SqsMessageActions(QueueService service) {
        this.service = service;
    }

    ObjectNode sendMessage(SqsRequest r) {
        String queue = QueueUrls.queueOf(r.requiredString("QueueUrl"));
        Outgoing m = outgoing(r);
        checkSize(m, service.queueSettings(queue).maxMessageBytes());
        ProducedMessage produced = service.produce(queue, List.of(m.message())).getFirst();
        return sent(SqsQueueActions.object(), m, produced, service.queueId(queue), isFifo(queue));
    }

    ObjectNode sendMessageBatch(SqsRequest r) {
        String queue = QueueUrls.queueOf(r.requiredString("QueueUrl"));
        List<JsonNode> entries = SqsBatches.entries(r);
        ObjectNode out = SqsQueueActions.object();
        ArrayNode successful = out.putArray("Successful");
        ArrayNode failed = JsonNodeFactory.instance.arrayNode();
        Map<String, Outgoing> valid = new LinkedHashMap<>();
        long bytes = 0;
        long maxBytes = service.queueSettings(queue).maxMessageBytes();
        for (JsonNode e : entries) {
            String id = e.get("Id").textValue();
            try {
                Outgoing m = outgoing(r.at(e));
                checkSize(m, maxBytes);
                bytes += m.size();
                valid.put(id, m);
            } catch (SqsException invalid) {
                SqsBatches.failed(failed, id, invalid);
            }
        }
        if (bytes > MAX_BATCH_BYTES) {
            throw SqsException.batch("BatchRequestTooLong", "Batch requests cannot be longer than " + MAX_BATCH_BYTES
                    + " bytes. You have sent " + bytes + " bytes.");
        }
        if (!valid.isEmpty()) {
            List<ProducedMessage> produced = service.produce(queue, valid.values().stream().map(Outgoing::message).toList());
            String queueId = service.queueId(queue);
            int i = 0;
            for (var e : valid.entrySet()) {
                sent(successful.addObject().put("Id", e.getKey()), e.getValue(), produced.get(i++), queueId, isFifo(queue));
            }
        }
        SqsBatches.putFailed(out, failed);
        return out;
    }

    private record Outgoing(String body, Map<String, MessageAttribute> attributes, Map<String, MessageAttribute> system, NewMessage message) {
        long size() {
            long n = body.getBytes(StandardCharsets.UTF_8).length;
            for (var a : attributes.entrySet()) {
                n += a.getKey().length() + a.getValue().dataType().length() + a.getValue().value().length;
            }
            return n;
        }
    }

    private static void checkSize(Outgoing m, long maxBytes) {
        if (m.size() > maxBytes) {
            throw SqsException.invalidParameterMessage("One or more parameters are invalid. Reason: Message must be shorter than "
                    + maxBytes + " bytes.");
        }
    }

    private static Outgoing outgoing(SqsRequest r) {
        String body = r.requiredString("MessageBody");
        if (body.isEmpty()) {
            throw SqsException.missingParameter("MessageBody");
        }
        checkCharacters(body);
        Map<String, MessageAttribute> attributes = SqsMessageAttributes.parse(r.object("MessageAttributes"));
        Map<String, MessageAttribute> system = SqsMessageAttributes.parseSystem(r.object("MessageSystemAttributes"));
        Map<String, MessageAttribute> stored = new LinkedHashMap<>(attributes);
        MessageAttribute trace = system.containsKey("AWSTraceHeader") ? system.get("AWSTraceHeader")
                : r.traceHeader() == null ? null : MessageAttribute.string(r.traceHeader());
        if (trace != null) stored.put(SqsReceivedMessages.TRACE_HEADER, trace);
        NewMessage.Builder b = NewMessage.builder().body(body).attributes(stored);
        r.integer("DelaySeconds", 0, (int) Limits.MAX_QUEUE_DELAY.toSeconds()).ifPresent(d -> b.delay(Duration.ofSeconds(d)));
        r.string("MessageGroupId").ifPresent(g -> {
            if (!Limits.GROUP_ID.matcher(g).matches()) throw SqsException.invalidParameter("MessageGroupId", g, "must be 1-128 printable ASCII characters");
            b.groupId(g);
        });
        r.string("MessageDeduplicationId").ifPresent(d -> {
            if (!Limits.DEDUP_ID.matcher(d).matches()) throw SqsException.invalidParameter("MessageDeduplicationId", d, "must be 1-128 printable ASCII characters");
            b.dedupId(d);
        });
        return new Outgoing(body, attributes, system, b.build());
    }

    static final String ALLOWED_CHARACTERS =
            "Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF";

    private static void checkCharacters(String body) {
        invalidCharacter(body).ifPresent(c -> {
            throw SqsException.sender("InvalidMessageContents", "Invalid characters found (#x" + Integer.toHexString(c) + "). " + ALLOWED_CHARACTERS);
        });
    }

    /** The first code point SQS does not accept in a body or a string attribute (U+0000 among them), if any. */
    static Optional<Integer> invalidCharacter(String text) {
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            boolean ok = c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
            if (!ok) { // a lone surrogate is a code point in D800-DFFF, refused here too
                return Optional.of(c);
            }
            i += Character.charCount(c);
        }
        return Optional.empty();
    }

    private static boolean isFifo(String queue) {
        return queue.endsWith(Limits.FIFO_SUFFIX);
    }

    private static ObjectNode sent(ObjectNode out, Outgoing m, ProducedMessage produced, String queueId, boolean fifo) {
        out.put("MessageId", SqsMessageIds.of(queueId, produced.id()));
        out.put("MD5OfMessageBody", SqsMd5.ofBody(m.body()));
        String attributesMd5 = SqsMd5.ofAttributes(m.attributes());
        if (attributesMd5 != null) out.put("MD5OfMessageAttributes", attributesMd5);
        String systemMd5 = SqsMd5.ofAttributes(m.system());
        if (systemMd5 != null) out.put("MD5OfMessageSystemAttributes", systemMd5);
        if (fifo) out.put("SequenceNumber", Long.toString(produced.id().offset()));
        return out;
    }

    ObjectNode receiveMessage(SqsRequest r, QueueUrls urls) {
        String queue = QueueUrls.queueOf(r.requiredString("QueueUrl"));
        int max = r.integer("MaxNumberOfMessages", 1, MAX_RECEIVE).orElse(1);
        Integer visibility = r.integer("VisibilityTimeout", 0, (int) Limits.MAX_VISIBILITY_TIMEOUT.toSeconds()).orElse(null);
        int wait = r.integer("WaitTimeSeconds", 0, (int) Limits.MAX_WAIT_TIME.toSeconds())
                .orElseGet(() -> SqsQueueAttributes.defaultWaitSeconds(service.queueSettings(queue)));
        ReceiveRequest request = new ReceiveRequest(max, visibility == null ? null : Duration.ofSeconds(visibility),
                Duration.ofSeconds(wait), r.string("ReceiveRequestAttemptId").orElse(null));
        List<String> system = new ArrayList<>(r.strings("AttributeNames"));
        system.addAll(r.strings("MessageSystemAttributeNames"));
        List<String> attributeNames = r.strings("MessageAttributeNames");
        ObjectNode out = SqsQueueActions.object();
        List<ReceivedMessage> received = service.receive(queue, Limits.DEFAULT_SUBSCRIPTION, request);
        if (received.isEmpty()) {
            return out; // SQS answers an empty receive with {}, not {"Messages": []}
        }
        ArrayNode messages = out.putArray("Messages");
        var context = new SqsReceivedMessages.Context(service.queueId(queue), isFifo(queue), system, attributeNames, r.accessKeyId(), urls);
        for (ReceivedMessage m : received) {
            messages.add(SqsReceivedMessages.write(m, context));
        }
        return out;
    }

    ObjectNode deleteMessage(SqsRequest r) {
        String queue = QueueUrls.queueOf(r.requiredString("QueueUrl"));
        String receipt = r.requiredString("ReceiptHandle");
        ReceiptResult result = service.ack(queue, Limits.DEFAULT_SUBSCRIPTION, List.of(receipt)).getFirst();
        deleteFailure(queue, result).ifPresent(e -> {
            throw e;
        });
        return SqsQueueActions.object();
    }

    ObjectNode deleteMessageBatch(SqsRequest r) {
        String queue = QueueUrls.queueOf(r.requiredString("QueueUrl"));
        List<JsonNode> entries = SqsBatches.entries(r);
        return batch(entries, e -> r.at(e).requiredString("ReceiptHandle"),
                receipts -> service.ack(queue, Limits.DEFAULT_SUBSCRIPTION, receipts), result -> deleteFailure(queue, result));
    }

    /**
     * A delete that did not delete. On a standard queue SQS answers a superseded receipt (the
     * message was received again since) with success and leaves the message alone. On a FIFO
     * queue a receipt whose lease has ended, or that a newer delivery replaced, is refused
     * ("The receipt handle has expired."), so the caller knows the message will come back.
     */
    private static Optional<SqsException> deleteFailure(String queue, ReceiptResult result) {
        boolean fifo = queue.endsWith(Limits.FIFO_SUFFIX);
        return result.failure()
                .filter(e -> !(e instanceof ConflictException c) || (fifo && EXPIRED_ON_FIFO.contains(c.code())))
                .map(e -> e instanceof ConflictException
                        ? SqsException.invalidParameter("ReceiptHandle", result.receipt(), "The receipt handle has expired.")
                        : SqsErrors.forReceipt(e, result.receipt()));
    }

    /** The storage conflicts that mean, on a FIFO queue, that the receipt's lease is over. */
    private static final Set<String> EXPIRED_ON_FIFO = Set.of("ReceiptHandleExpired", "ReceiptSuperseded");

    ObjectNode changeMessageVisibility(SqsRequest r) {
        String queue = QueueUrls.queueOf(r.requiredString("QueueUrl"));
        VisibilityChange change = change(r);
        ReceiptResult result = service.changeVisibility(queue, Limits.DEFAULT_SUBSCRIPTION, List.of(change)).getFirst();
        result.failure().ifPresent(e -> {
            throw SqsErrors.forReceipt(e, result.receipt());
        });
        return SqsQueueActions.object();
    }

    ObjectNode changeMessageVisibilityBatch(SqsRequest r) {
        String queue = QueueUrls.queueOf(r.requiredString("QueueUrl"));
        List<JsonNode> entries = SqsBatches.entries(r);
        return batch(entries, e -> change(r.at(e)), changes -> service.changeVisibility(queue, Limits.DEFAULT_SUBSCRIPTION, changes),
                result -> result.failure().map(e -> SqsErrors.forReceipt(e, result.receipt())));
    }

    private static VisibilityChange change(SqsRequest r) {
        String receipt = r.requiredString("ReceiptHandle");
        int timeout = r.integer("VisibilityTimeout", 0, (int) Limits.MAX_VISIBILITY_TIMEOUT.toSeconds())
                .orElseThrow(() -> SqsException.missingParameter("VisibilityTimeout"));
        return new VisibilityChange(receipt, Duration.ofSeconds(timeout));
    }

    /**
     * One batch of receipt operations, as SQS answers it: 200 with each entry in Successful or
     * Failed, an entry that cannot be read (a missing receipt) failing alone.
     */
    private static <T> ObjectNode batch(List<JsonNode> entries, Function<JsonNode, T> parse,
                                        Function<List<T>, List<ReceiptResult>> call,
                                        Function<ReceiptResult, Optional<SqsException>> failure) {
        ObjectNode out = SqsQueueActions.object();
        ArrayNode successful = out.putArray("Successful");
        ArrayNode failed = JsonNodeFactory.instance.arrayNode();
        List<String> ids = new ArrayList<>();
        List<T> valid = new ArrayList<>();
        for (JsonNode e : entries) {
            String id = e.get("Id").textValue();
            try {
                valid.add(parse.apply(e));
                ids.add(id);
            } catch (SqsException invalid) {
                SqsBatches.failed(failed, id, invalid);
            }
        }
        List<ReceiptResult> results = valid.isEmpty() ? List.of() : call.apply(valid);
        for (int i = 0; i < ids.size(); i++) {
            Optional<SqsException> error = failure.apply(results.get(i));
            if (error.isPresent()) {
                SqsBatches.failed(failed, ids.get(i), error.get());
            } else {
                successful.addObject().put("Id", ids.get(i));
            }
        }
        SqsBatches.putFailed(out, failed);
        return out;
    }
}
