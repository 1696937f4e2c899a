package dev.shoal.functions.api.sqs;

import dev.shoal.storage.MessageId;

/**
 * The identifiers SQS clients see for a message, in one place, so that the SQS face and the
 * dispatcher's SQS-shaped trigger events name a message the same way: the {@code MessageId}
 * a send returns is the {@code messageId} a trigger event carries and a partial batch response
 * names in {@code itemIdentifier}.
 */
public final class SqsMessageIds {

    private SqsMessageIds() {
    }

    /** The message's SQS {@code MessageId}. */
    public static String messageId(MessageId id) {
        return id.toString();
    }

    /** The {@code SequenceNumber} SQS gives a FIFO message: increasing within its group. */
    public static String sequenceNumber(MessageId id) {
        return Long.toString(id.offset());
    }
}
