package dev.shoal.functions.dispatcher;

import dev.shoal.storage.api.ReceivedMessage;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Which messages of an invoked batch to ack and which to nack.
 *
 * <p>On FIFO queues a failure stops its group: the failed message and every later message of
 * the same group in the batch are nacked, even those the target reported as handled, because
 * they must be delivered again after the failed one. Messages of a group before its first
 * failure are acked; other groups are not affected.
 */
record Settlement(List<ReceivedMessage> ack, List<ReceivedMessage> nack) {

    Settlement {
        ack = List.copyOf(ack);
        nack = List.copyOf(nack);
    }

    /** @param idOf the id the event gave each message, which the target's answer names */
    static Settlement of(List<ReceivedMessage> batch, Set<String> failedIds, Function<ReceivedMessage, String> idOf, boolean fifo) {
        List<ReceivedMessage> ack = new ArrayList<>();
        List<ReceivedMessage> nack = new ArrayList<>();
        Set<String> stoppedGroups = new HashSet<>();
        for (ReceivedMessage m : batch) {
            boolean stopped = fifo && m.groupId() != null && stoppedGroups.contains(m.groupId());
            if (stopped || failedIds.contains(idOf.apply(m))) {
                nack.add(m);
                if (fifo && m.groupId() != null) {
                    stoppedGroups.add(m.groupId());
                }
            } else {
                ack.add(m);
            }
        }
        return new Settlement(ack, nack);
    }

    static Settlement allHandled(List<ReceivedMessage> batch) {
        return new Settlement(batch, List.of());
    }

    static Settlement allFailed(List<ReceivedMessage> batch) {
        return new Settlement(List.of(), batch);
    }
}
