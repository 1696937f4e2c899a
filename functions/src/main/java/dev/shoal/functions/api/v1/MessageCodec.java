package dev.shoal.functions.api.v1;

import dev.shoal.functions.api.ApiException;
import dev.shoal.functions.api.Durations;
import dev.shoal.functions.api.v1.Requests.AttributeBody;
import dev.shoal.functions.api.v1.Requests.MessageBody;
import dev.shoal.functions.api.v1.Requests.ProduceBody;
import dev.shoal.functions.api.v1.Responses.Message;
import dev.shoal.storage.api.Limits;
import dev.shoal.storage.api.MessageAttribute;
import dev.shoal.storage.api.NewMessage;
import dev.shoal.storage.api.ProduceRequest;
import dev.shoal.storage.api.ReceivedMessage;
import dev.shoal.storage.api.Utf8Text;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Messages between JSON and the domain. Every check that can be made without the queue's
 * settings is made here, naming the entry ({@code messages[3].groupId}), so a bad batch is
 * refused whole before anything is written.
 */
final class MessageCodec {

    private static final Pattern DATA_TYPE = Pattern.compile("(String|Number|Binary)(\\.[A-Za-z0-9_.-]{1,200})?");

    private MessageCodec() {
    }

    static ProduceRequest produceRequest(ProduceBody body) {
        List<MessageBody> messages = body.messages();
        if (messages == null || messages.isEmpty()) {
            throw ApiException.invalid("messages", "is required: 1 to " + Limits.MAX_BATCH_MESSAGES + " messages");
        }
        if (messages.size() > Limits.MAX_BATCH_MESSAGES) {
            throw ApiException.invalid("messages", "at most " + Limits.MAX_BATCH_MESSAGES + " messages per call, was " + messages.size());
        }
        List<NewMessage> out = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            out.add(message("messages[" + i + "]", messages.get(i)));
        }
        if (body.partition() != null) {
            Limits.checkRange("partition", body.partition(), 0, Limits.MAX_PARTITIONS - 1);
        }
        if (body.producerId() != null) {
            if (!Limits.NAME.matcher(body.producerId()).matches()) {
                throw ApiException.invalid("producerId", "must be 1-80 characters of A-Z, a-z, 0-9, '-' and '_', was '" + body.producerId() + "'");
            }
            if (body.partition() == null) {
                throw ApiException.invalid("partition", "is required with producerId (idempotent produce writes to one partition)");
            }
            if (body.sequence() == null || body.sequence() < 0) {
                throw ApiException.invalid("sequence", "is required with producerId: the batch's sequence number, 0 or more");
            }
        } else if (body.sequence() != null) {
            throw ApiException.invalid("sequence", "is only allowed with producerId");
        }
        return new ProduceRequest(out, body.partition(), body.producerId(), body.sequence() == null ? 0 : body.sequence());
    }

    private static NewMessage message(String at, MessageBody m) {
        if (m == null) {
            throw ApiException.invalid(at, "must be an object with a body");
        }
        NewMessage.Builder b = NewMessage.builder();
        if (m.body() != null && m.bodyBase64() != null) {
            throw ApiException.invalid(at, "give either body (text) or bodyBase64 (bytes), not both");
        } else if (m.body() != null) {
            b.body(m.body());
        } else if (m.bodyBase64() != null) {
            b.body(base64(at + ".bodyBase64", m.bodyBase64()));
        } else {
            throw ApiException.invalid(at + ".body", "is required: the payload as text (body) or as base64 (bodyBase64); \"\" for an empty one");
        }
        b.attributes(attributes(at + ".attributes", m.attributes()));
        if (m.groupId() != null) {
            checkPattern(at + ".groupId", m.groupId(), Limits.GROUP_ID);
            b.groupId(m.groupId());
        }
        if (m.dedupId() != null) {
            checkPattern(at + ".dedupId", m.dedupId(), Limits.DEDUP_ID);
            b.dedupId(m.dedupId());
        }
        Duration delay = Durations.parse(at + ".delay", m.delay());
        if (delay != null) {
            Limits.checkRange(at + ".delay", delay, Duration.ZERO, Limits.MAX_MESSAGE_DELAY);
            b.delay(delay);
        }
        return b.build();
    }

    static Map<String, MessageAttribute> attributes(String at, Map<String, AttributeBody> attributes) {
        if (attributes == null || attributes.isEmpty()) {
            return Map.of();
        }
        if (attributes.size() > Limits.MAX_ATTRIBUTES) {
            throw ApiException.invalid(at, "at most " + Limits.MAX_ATTRIBUTES + " attributes per message, was " + attributes.size());
        }
        Map<String, MessageAttribute> out = new LinkedHashMap<>();
        for (var e : attributes.entrySet()) {
            String name = e.getKey();
            String field = at + "." + name;
            if (!Limits.ATTRIBUTE_NAME.matcher(name).matches()) {
                throw ApiException.invalid(at, "attribute names must be 1-256 characters of A-Z, a-z, 0-9, '_', '-' and '.', was '" + name + "'");
            }
            if (name.startsWith(Limits.RESERVED_ATTRIBUTE_PREFIX)) {
                throw ApiException.invalid(field, "names starting with '" + Limits.RESERVED_ATTRIBUTE_PREFIX + "' are reserved for Shoal");
            }
            out.put(name, attribute(field, e.getValue()));
        }
        return out;
    }

    private static MessageAttribute attribute(String field, AttributeBody a) {
        if (a == null || a.type() == null) {
            throw ApiException.invalid(field + ".type", "is required: String, Number or Binary (optionally with a suffix, for example Number.int)");
        }
        if (!DATA_TYPE.matcher(a.type()).matches()) {
            throw ApiException.invalid(field + ".type", "must be String, Number or Binary, optionally with a suffix such as Number.int, was '" + a.type() + "'");
        }
        if (a.type().startsWith("Binary")) {
            if (a.valueBase64() == null || a.value() != null) {
                throw ApiException.invalid(field + ".valueBase64", "a Binary attribute takes its bytes as valueBase64 (and no value)");
            }
            return new MessageAttribute(a.type(), base64(field + ".valueBase64", a.valueBase64()));
        }
        if (a.value() == null || a.valueBase64() != null) {
            throw ApiException.invalid(field + ".value", "a " + a.type() + " attribute takes its text as value (and no valueBase64)");
        }
        if (a.type().startsWith("Number")) {
            try {
                new java.math.BigDecimal(a.value().trim());
            } catch (NumberFormatException e) {
                throw ApiException.invalid(field + ".value", "must be a number for type " + a.type() + ", was '" + a.value() + "'");
            }
        }
        return new MessageAttribute(a.type(), a.value().getBytes(StandardCharsets.UTF_8));
    }

    private static void checkPattern(String field, String value, Pattern pattern) {
        if (!pattern.matcher(value).matches()) {
            throw ApiException.invalid(field, "must be 1-128 printable ASCII characters without spaces, was '" + value + "'");
        }
    }

    static byte[] base64(String field, String text) {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(field, "is not valid base64 (RFC 4648, with padding): " + e.getMessage());
        }
    }

    static Message view(ReceivedMessage m) {
        String text = utf8(m.body());
        Map<String, AttributeBody> attributes = new TreeMap<>();
        m.attributes().forEach((name, a) -> attributes.put(name, a.isBinary()
                ? new AttributeBody(a.dataType(), null, Base64.getEncoder().encodeToString(a.value()))
                : new AttributeBody(a.dataType(), a.stringValue(), null)));
        return new Message(m.id().toString(), text, text == null ? Base64.getEncoder().encodeToString(m.body()) : null,
                attributes.isEmpty() ? null : attributes, m.groupId(), m.dedupId(), m.receiveCount(),
                SettingsCodec.time(m.sentAt()), SettingsCodec.time(m.firstReceivedAt()), m.receipt());
    }

    /** The body as text when it is valid UTF-8, else null (it then travels as base64). */
    static String utf8(byte[] body) {
        return Utf8Text.decode(body).orElse(null);
    }
}
