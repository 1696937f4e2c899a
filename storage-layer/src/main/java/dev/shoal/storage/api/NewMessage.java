package dev.shoal.storage.api;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A message to produce.
 *
 * @param body       the payload, 0 bytes up to the queue's maxMessageBytes
 * @param attributes typed attributes (at most 50; names not starting with "shoal.")
 * @param groupId    FIFO message group: required on FIFO queues; on standard queues it only picks the partition
 * @param dedupId    deduplication id (FIFO)
 * @param delay      not delivered before now + delay; null = the queue's delivery delay
 */
public record NewMessage(byte[] body, Map<String, MessageAttribute> attributes, String groupId, String dedupId, Duration delay) {

    public NewMessage {
        Objects.requireNonNull(body, "body");
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    public static NewMessage of(String text) {
        return builder().body(text).build();
    }

    public Optional<Duration> delayOverride() {
        return Optional.ofNullable(delay);
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    /** The body without a copy, for the encoder on the hot path. Callers must not modify it. */
    public byte[] bodyUnsafe() {
        return body;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NewMessage m && Arrays.equals(body, m.body) && attributes.equals(m.attributes)
                && Objects.equals(groupId, m.groupId) && Objects.equals(dedupId, m.dedupId) && Objects.equals(delay, m.delay);
    }

    @Override
    public int hashCode() {
        return Objects.hash(attributes, groupId, dedupId, delay) * 31 + Arrays.hashCode(body);
    }

    public static final class Builder {
        private byte[] body = new byte[0];
        private final Map<String, MessageAttribute> attributes = new LinkedHashMap<>();
        private String groupId;
        private String dedupId;
        private Duration delay;

        public Builder body(byte[] v) { this.body = v; return this; }
        public Builder body(String v) { this.body = v.getBytes(StandardCharsets.UTF_8); return this; }
        public Builder attribute(String name, MessageAttribute value) { attributes.put(name, value); return this; }
        public Builder attribute(String name, String value) { attributes.put(name, MessageAttribute.string(value)); return this; }
        public Builder attributes(Map<String, MessageAttribute> v) { attributes.putAll(v); return this; }
        public Builder groupId(String v) { this.groupId = v; return this; }
        public Builder dedupId(String v) { this.dedupId = v; return this; }
        public Builder delay(Duration v) { this.delay = v; return this; }

        public NewMessage build() {
            return new NewMessage(body, attributes, groupId, dedupId, delay);
        }
    }
}
