package dev.shoal.storage.log;

import dev.shoal.storage.api.InvalidRequestException;
import dev.shoal.storage.api.Limits;
import dev.shoal.storage.api.MessageAttribute;
import dev.shoal.storage.api.NewMessage;
import dev.shoal.storage.api.ProduceRequest;
import dev.shoal.storage.api.QueueSettings;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Checks a produce request against the limits and the queue's settings before anything is
 * written. Errors name the entry and field, for example {@code messages[3].groupId}.
 */
public final class MessageValidator {

    private MessageValidator() {
    }

    public static void check(ProduceRequest request, QueueSettings queue) {
        List<NewMessage> messages = request.messages();
        if (messages.isEmpty() || messages.size() > Limits.MAX_BATCH_MESSAGES) {
            throw new InvalidRequestException("messages", "must hold 1 to " + Limits.MAX_BATCH_MESSAGES + " messages, had " + messages.size());
        }
        if (request.partition() != null) {
            Limits.checkRange("partition", request.partition(), 0, queue.partitions() - 1);
        }
        if (request.producerId() != null) {
            if (!Limits.NAME.matcher(request.producerId()).matches()) {
                throw new InvalidRequestException("producerId", "must be 1-80 characters of A-Z, a-z, 0-9, '-' and '_'");
            }
            if (request.partition() == null) {
                throw new InvalidRequestException("partition", "is required with producerId: sequences are kept per partition");
            }
            Limits.checkRange("sequence", request.sequence(), 0, Long.MAX_VALUE);
        }
        for (int i = 0; i < messages.size(); i++) {
            check("messages[" + i + "]", messages.get(i), queue);
        }
    }

    static void check(String field, NewMessage m, QueueSettings queue) {
        long size = m.bodyUnsafe().length;
        if (m.attributes().size() > Limits.MAX_ATTRIBUTES) {
            throw new InvalidRequestException(field + ".attributes", "at most " + Limits.MAX_ATTRIBUTES + " attributes, had " + m.attributes().size());
        }
        for (Map.Entry<String, MessageAttribute> a : m.attributes().entrySet()) {
            checkAttribute(field + ".attributes." + a.getKey(), a.getKey(), a.getValue());
            size += a.getKey().length() + a.getValue().dataType().length() + a.getValue().value().length;
        }
        if (size > queue.maxMessageBytes()) {
            throw new InvalidRequestException(field, "body plus attributes is " + size + " bytes; the queue allows at most "
                    + queue.maxMessageBytes() + " (maxMessageBytes, up to " + Limits.MAX_MESSAGE_BYTES + ")");
        }
        if (queue.fifo()) {
            if (m.groupId() == null) {
                throw new InvalidRequestException(field + ".groupId", "is required on a FIFO queue");
            }
            if (m.dedupId() == null && !queue.contentBasedDeduplication()) {
                throw new InvalidRequestException(field + ".dedupId",
                        "is required on a FIFO queue unless content-based deduplication is on");
            }
            if (m.delay() != null && !m.delay().isZero()) {
                throw new InvalidRequestException(field + ".delay",
                        "per-message delay is not allowed on FIFO queues; set the queue's deliveryDelay instead");
            }
        } else {
            if (m.dedupId() != null) {
                throw new InvalidRequestException(field + ".dedupId", "is only allowed on FIFO queues");
            }
            if (m.delay() != null) {
                Limits.checkRange(field + ".delay", m.delay(), Duration.ZERO, Limits.MAX_MESSAGE_DELAY);
            }
        }
        if (m.groupId() != null && !Limits.GROUP_ID.matcher(m.groupId()).matches()) {
            throw new InvalidRequestException(field + ".groupId", "must be 1-128 printable ASCII characters without spaces, was '" + m.groupId() + "'");
        }
        if (m.dedupId() != null && !Limits.DEDUP_ID.matcher(m.dedupId()).matches()) {
            throw new InvalidRequestException(field + ".dedupId", "must be 1-128 printable ASCII characters without spaces, was '" + m.dedupId() + "'");
        }
    }

    private static void checkAttribute(String field, String name, MessageAttribute value) {
        if (!Limits.ATTRIBUTE_NAME.matcher(name).matches()) {
            throw new InvalidRequestException(field, "attribute names must be 1-256 characters of A-Z, a-z, 0-9, '_', '-' and '.'");
        }
        if (name.toLowerCase().startsWith(Limits.RESERVED_ATTRIBUTE_PREFIX) || name.toLowerCase().startsWith("aws.")) {
            throw new InvalidRequestException(field, "names starting with 'shoal.' or 'aws.' are reserved");
        }
        String type = value.dataType();
        String base = type.contains(".") ? type.substring(0, type.indexOf('.')) : type;
        if (!base.equals("String") && !base.equals("Number") && !base.equals("Binary")) {
            throw new InvalidRequestException(field + ".dataType", "must be String, Number or Binary (optionally with a .suffix), was '" + type + "'");
        }
        if (base.equals("Number")) {
            try {
                new BigDecimal(value.stringValue());
            } catch (NumberFormatException e) {
                throw new InvalidRequestException(field, "a Number attribute must hold a number, was '" + value.stringValue() + "'");
            }
        }
    }
}
