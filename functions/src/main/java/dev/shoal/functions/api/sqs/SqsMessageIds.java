package dev.shoal.functions.api.sqs;

import dev.shoal.storage.api.MessageId;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * SQS message ids: UUIDs, as SQS gives them and as clients parse them (Spring Cloud AWS does).
 * Derived, not stored: a name-based UUID (RFC 4122 version 3) of the queue incarnation's id, the
 * partition and the offset. So the same message has the same id at send, at a deduplicated
 * resend and at every receive, and no two messages share one, across queues and across a queue
 * deleted and created again (its incarnation id is new). The native API keeps its
 * {@code <partition>-<offset>} ids; the two name the same message.
 */
public final class SqsMessageIds {

    private static final String NAMESPACE = "shoal.sqs.message-id/";

    private SqsMessageIds() {
    }

    public static String of(String queueId, MessageId id) {
        return UUID.nameUUIDFromBytes((NAMESPACE + queueId + "/" + id.partition() + "/" + id.offset())
                .getBytes(StandardCharsets.UTF_8)).toString();
    }
}
