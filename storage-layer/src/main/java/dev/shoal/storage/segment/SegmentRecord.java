package dev.shoal.storage.segment;

import dev.shoal.storage.api.MessageAttribute;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One message as it is stored in a segment. A record carries no offset: offsets are given to
 * the whole segment when it is committed to the log.
 *
 * @param timestampMillis  when the message was produced (epoch millis)
 * @param deliverAtMillis  not delivered before this time (epoch millis); equal to the
 *                         timestamp when the message has no delay
 * @param groupId          the FIFO message group, or null
 * @param dedupId          the deduplication id, or null
 * @param attributes       typed attributes, kept in name order
 * @param body             the payload
 */
public record SegmentRecord(long timestampMillis, long deliverAtMillis, String groupId, String dedupId,
                            Map<String, MessageAttribute> attributes, byte[] body) {

    public SegmentRecord {
        Objects.requireNonNull(body, "body");
        attributes = attributes == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(attributes));
        if (deliverAtMillis < timestampMillis) {
            throw new IllegalArgumentException("deliverAtMillis must not be before timestampMillis");
        }
    }

    public Optional<String> group() {
        return Optional.ofNullable(groupId);
    }

    public Optional<String> dedup() {
        return Optional.ofNullable(dedupId);
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    /** Bytes this record contributes before compression, for limits and metering. */
    public long approximateSize() {
        long size = body.length + 16;
        if (groupId != null) size += groupId.length();
        if (dedupId != null) size += dedupId.length();
        for (var e : attributes.entrySet()) {
            size += e.getKey().length() + e.getValue().dataType().length() + e.getValue().value().length;
        }
        return size;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SegmentRecord r
                && timestampMillis == r.timestampMillis && deliverAtMillis == r.deliverAtMillis
                && Objects.equals(groupId, r.groupId) && Objects.equals(dedupId, r.dedupId)
                && attributes.equals(r.attributes) && Arrays.equals(body, r.body);
    }

    @Override
    public int hashCode() {
        return Objects.hash(timestampMillis, deliverAtMillis, groupId, dedupId, attributes) * 31 + Arrays.hashCode(body);
    }
}
