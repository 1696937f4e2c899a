package dev.shoal.functions.api.sqs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** SQS's rules for batch requests (1-10 entries with distinct, well-formed ids) and the shape of their results. */
final class SqsBatches {

    static final int MAX_ENTRIES = 10;
    private static final Pattern ENTRY_ID = Pattern.compile("[A-Za-z0-9_-]{1,80}");

    private SqsBatches() {
    }

    static List<JsonNode> entries(SqsRequest r) {
        List<JsonNode> entries = r.objects("Entries");
        if (entries.isEmpty()) {
            throw SqsException.batch("EmptyBatchRequest", "There should be at least one entry in the request.");
        }
        if (entries.size() > MAX_ENTRIES) {
            throw SqsException.batch("TooManyEntriesInBatchRequest",
                    "Maximum number of entries per request are " + MAX_ENTRIES + ". You have sent " + entries.size() + ".");
        }
        Set<String> ids = new HashSet<>();
        for (JsonNode e : entries) {
            JsonNode id = e.get("Id");
            if (id == null || !id.isTextual() || !ENTRY_ID.matcher(id.textValue()).matches()) {
                throw SqsException.batch("InvalidBatchEntryId",
                        "A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long. Was: " + id);
            }
            if (!ids.add(id.textValue())) {
                throw SqsException.batch("BatchEntryIdsNotDistinct", "Id " + id.textValue() + " repeated.");
            }
        }
        return entries;
    }

    /** SQS leaves Failed out of a batch answer when no entry failed. */
    static void putFailed(ObjectNode out, ArrayNode failed) {
        if (!failed.isEmpty()) {
            out.set("Failed", failed);
        }
    }

    static void failed(ArrayNode failed, String id, SqsException e) {
        ObjectNode f = failed.addObject();
        f.put("Id", id);
        f.put("SenderFault", e.senderFault());
        f.put("Code", e.queryCode());
        f.put("Message", e.getMessage());
    }
}
