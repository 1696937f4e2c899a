package dev.shoal.client.trigger;

import com.fasterxml.jackson.core.JsonProcessingException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The partial batch response a target returns:
 * {@code {"batchItemFailures": [{"itemIdentifier": "<messageId>"}]}}; an empty list means
 * every message was handled.
 *
 * @param itemIdentifiers the ids of the messages that failed, in event order
 */
public record BatchItemFailures(List<String> itemIdentifiers) {

    public BatchItemFailures {
        itemIdentifiers = List.copyOf(itemIdentifiers);
    }

    public boolean allSucceeded() {
        return itemIdentifiers.isEmpty();
    }

    /** The response as a Lambda {@code RequestHandler} returns it (the runtime writes it as JSON). */
    public Map<String, Object> toMap() {
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("batchItemFailures", itemIdentifiers.stream().map(id -> Map.of("itemIdentifier", id)).toList());
        return response;
    }

    /** The response as JSON bytes, for a {@code RequestStreamHandler} or an HTTP endpoint. */
    public byte[] toJson() {
        try {
            return TriggerEvent.JSON.writeValueAsBytes(toMap());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write the batch response", e);
        }
    }
}
