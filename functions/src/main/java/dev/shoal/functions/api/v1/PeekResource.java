package dev.shoal.functions.api.v1;

import dev.shoal.functions.api.ApiException;
import dev.shoal.functions.api.HttpRequest;
import dev.shoal.functions.api.HttpResponse;
import dev.shoal.functions.api.v1.Requests.AttributeBody;
import dev.shoal.storage.api.LogPage;
import dev.shoal.storage.api.PeekRequest;
import dev.shoal.storage.api.QueueService;

import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code GET /v1/queues/{queue}/messages?partition=P&offset=O&max=N}: the retained messages of a
 * partition, read from the log without a lease (acked ones too), for operators' tools.
 */
final class PeekResource {

    static final int DEFAULT_MAX = 10;

    private final QueueService service;

    PeekResource(QueueService service) {
        this.service = service;
    }

    HttpResponse peek(String queue, HttpRequest r) {
        Map<String, String> q = QueryParameters.only(r, Set.of("partition", "offset", "max"));
        int partition = (int) number(q, "partition", 0, Integer.MAX_VALUE);
        Long offset = q.containsKey("offset") ? number(q, "offset", 0, Long.MAX_VALUE) : null;
        int max = (int) number(q, "max", DEFAULT_MAX, Integer.MAX_VALUE);
        LogPage page = service.peek(queue, new PeekRequest(partition, offset, max));
        return QueueResource.ok(200, new PageView(page.partition(), page.startOffset(), page.endOffset(), page.nextOffset(),
                page.messages().stream().map(PeekResource::view).toList()));
    }

    private static long number(Map<String, String> q, String name, long otherwise, long max) {
        String text = q.get(name);
        if (text == null) return otherwise;
        try {
            long v = Long.parseLong(text);
            if (v >= 0 && v <= max) return v;
        } catch (NumberFormatException notANumber) {
            // the error below says what is allowed
        }
        throw ApiException.invalid(name, "must be a whole number, 0 or more, was '" + text + "'");
    }

    private static PeekedView view(LogPage.Message m) {
        String text = MessageCodec.utf8(m.body());
        Map<String, AttributeBody> attributes = new TreeMap<>();
        m.attributes().forEach((name, a) -> attributes.put(name, a.isBinary()
                ? new AttributeBody(a.dataType(), null, Base64.getEncoder().encodeToString(a.value()))
                : new AttributeBody(a.dataType(), a.stringValue(), null)));
        return new PeekedView(m.id().toString(), m.id().offset(), text, text == null ? Base64.getEncoder().encodeToString(m.body()) : null,
                attributes.isEmpty() ? null : attributes, m.groupId(), m.dedupId(), SettingsCodec.time(m.sentAt()),
                m.deliverAt().equals(m.sentAt()) ? null : SettingsCodec.time(m.deliverAt()));
    }

    record PageView(int partition, long startOffset, long endOffset, long nextOffset, List<PeekedView> messages) {
    }

    record PeekedView(String id, long offset, String body, String bodyBase64, Map<String, AttributeBody> attributes,
                      String groupId, String dedupId, String sentAt, String deliverAt) {
    }
}
