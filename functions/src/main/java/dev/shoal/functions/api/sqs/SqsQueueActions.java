package dev.shoal.functions.api.sqs;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shoal.storage.api.ConflictException;
import dev.shoal.storage.api.QueueDescription;
import dev.shoal.storage.api.QueueService;
import dev.shoal.storage.api.QueueSettings;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** CreateQueue, GetQueueUrl, ListQueues, DeleteQueue, Get/SetQueueAttributes, PurgeQueue. */
final class SqsQueueActions {

    private static final int MAX_LIST = 1_000;

    /** SQS allows one PurgeQueue per queue in this long. */
    static final Duration PURGE_INTERVAL = Duration.ofSeconds(60);
    private static final String LAST_PURGE = SqsQueueAttributes.STORED_PREFIX + "lastPurgeMillis";

    private final QueueService service;
    private final Clock clock;

    SqsQueueActions(QueueService service, Clock clock) {
        this.service = service;
        this.clock = clock;
    }

    /** Creates the queue; an existing queue whose attributes match those given is returned as SQS does. */
    ObjectNode createQueue(SqsRequest r, QueueUrls urls) {
        String name = r.requiredString("QueueName");
        Map<String, String> attributes = r.stringMap("Attributes");
        Map<String, String> tags = r.stringMap("tags");
        QueueSettings settings = SqsQueueAttributes.forCreate(name, attributes);
        if (!tags.isEmpty()) {
            settings = settings.toBuilder().faceAttributes(SqsQueueExtras.withTags(name, new TreeMap<>(settings.faceAttributes()), tags)).build();
        }
        try {
            service.createQueue(name, settings);
        } catch (ConflictException e) {
            if (!"QueueAlreadyExists".equals(e.code())) throw e;
            QueueSettings existing = service.describeQueue(name).settings();
            // tags are not compared: SQS returns the existing queue whatever tags the call names
            if (!SqsQueueAttributes.apply(name, existing, withoutFifo(attributes)).equals(existing) || existing.fifo() != settings.fifo()) {
                throw new SqsException(400, "QueueNameExists", "QueueAlreadyExists", true,
                        "A queue already exists with the same name and a different value for attribute(s) "
                                + String.join(", ", attributes.keySet()));
            }
        }
        return object().put("QueueUrl", urls.url(name));
    }

    private static Map<String, String> withoutFifo(Map<String, String> attributes) {
        Map<String, String> m = new LinkedHashMap<>(attributes);
        m.remove("FifoQueue");
        return m;
    }

    ObjectNode getQueueUrl(SqsRequest r, QueueUrls urls) {
        String name = r.requiredString("QueueName");
        QueueDescription d = service.describeQueue(name);
        return object().put("QueueUrl", urls.url(d.name()));
    }

    ObjectNode listQueues(SqsRequest r, QueueUrls urls) {
        String prefix = r.string("QueueNamePrefix").orElse("");
        Integer max = r.integer("MaxResults", 1, MAX_LIST).orElse(null);
        String after = r.string("NextToken").map(SqsQueueActions::decodeToken).orElse(null);
        List<String> names = service.listQueues(prefix).stream().filter(n -> after == null || n.compareTo(after) > 0).toList();
        ObjectNode out = object();
        var array = out.putArray("QueueUrls");
        int limit = max == null ? MAX_LIST : max;
        names.stream().limit(limit).forEach(n -> array.add(urls.url(n)));
        // SQS only pages when MaxResults is given
        if (max != null && names.size() > limit) {
            out.put("NextToken", encodeToken(names.get(limit - 1)));
        }
        return out;
    }

    static String encodeToken(String lastName) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(lastName.getBytes(StandardCharsets.UTF_8));
    }

    static String decodeToken(String token) {
        try {
            return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw SqsException.invalidParameter("NextToken", token, "is not a token from a previous ListQueues");
        }
    }

    ObjectNode deleteQueue(SqsRequest r) {
        service.deleteQueue(QueueUrls.queueOf(r.requiredString("QueueUrl")));
        return object();
    }

    /** Purges, unless the queue was purged less than {@link #PURGE_INTERVAL} ago (SQS's PurgeQueueInProgress). */
    ObjectNode purgeQueue(SqsRequest r) {
        String queue = QueueUrls.queueOf(r.requiredString("QueueUrl"));
        QueueSettings settings = service.describeQueue(queue).settings();
        long now = clock.millis();
        String last = settings.faceAttributes().get(LAST_PURGE);
        if (last != null && now - Long.parseLong(last) < PURGE_INTERVAL.toMillis()) {
            throw new SqsException(403, "PurgeQueueInProgress", "AWS.SimpleQueueService.PurgeQueueInProgress", true,
                    "Only one PurgeQueue operation on " + queue + " is allowed every 60 seconds.");
        }
        Map<String, String> stored = new TreeMap<>(settings.faceAttributes());
        stored.put(LAST_PURGE, Long.toString(now));
        service.updateQueue(queue, settings.toBuilder().faceAttributes(stored).build());
        service.purgeQueue(queue);
        return object();
    }

    ObjectNode getQueueAttributes(SqsRequest r, QueueUrls urls) {
        QueueDescription d = service.describeQueue(QueueUrls.queueOf(r.requiredString("QueueUrl")));
        List<String> names = r.strings("AttributeNames");
        ObjectNode out = object();
        if (!names.isEmpty()) {
            ObjectNode attributes = out.putObject("Attributes");
            SqsQueueAttributes.read(d, names, urls).forEach(attributes::put);
        }
        return out;
    }

    ObjectNode setQueueAttributes(SqsRequest r) {
        String queue = QueueUrls.queueOf(r.requiredString("QueueUrl"));
        Map<String, String> attributes = r.stringMap("Attributes");
        if (attributes.isEmpty()) {
            throw SqsException.missingParameter("Attributes");
        }
        QueueSettings current = service.describeQueue(queue).settings();
        QueueSettings changed = SqsQueueAttributes.apply(queue, current, attributes);
        Map<String, String> stored = new TreeMap<>(changed.faceAttributes());
        stored.put(SqsQueueAttributes.LAST_MODIFIED, Long.toString(clock.instant().getEpochSecond()));
        service.updateQueue(queue, changed.toBuilder().faceAttributes(stored).build());
        return object();
    }

    static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }
}
