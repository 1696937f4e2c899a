package dev.shoal.storage;

import dev.shoal.storage.catalog.QueueRef;
import dev.shoal.storage.log.IndexEntry;
import dev.shoal.storage.log.MessageValidator;
import dev.shoal.storage.log.PartitionLog;
import dev.shoal.storage.segment.SegmentRecord;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Produce: checks the whole batch first (nothing is written when any message is invalid),
 * places messages on partitions (a message group always on the same one, by hash; a batch
 * without groups on one partition, so it becomes one segment), and appends one segment per
 * partition. Acknowledged only after every segment is committed.
 */
final class Producer {

    private final PartitionLog log;
    private final Clock clock;

    Producer(PartitionLog log, Clock clock) {
        this.log = log;
        this.clock = clock;
    }

    List<ProducedMessage> produce(QueueRef queue, ProduceRequest request) {
        MessageValidator.check(request, queue.settings());
        long now = clock.millis();
        List<NewMessage> messages = request.messages();
        int spread = ThreadLocalRandom.current().nextInt(queue.partitions());
        Map<Integer, List<Integer>> byPartition = new TreeMap<>();
        for (int i = 0; i < messages.size(); i++) {
            byPartition.computeIfAbsent(partitionOf(queue, request, messages.get(i), spread), k -> new ArrayList<>()).add(i);
        }
        ProducedMessage[] results = new ProducedMessage[messages.size()];
        for (var e : byPartition.entrySet()) {
            List<SegmentRecord> records = new ArrayList<>(e.getValue().size());
            for (int i : e.getValue()) {
                records.add(record(queue, messages.get(i), now));
            }
            IndexEntry committed = log.append(queue, e.getKey(), records);
            for (int j = 0; j < e.getValue().size(); j++) {
                results[e.getValue().get(j)] = new ProducedMessage(new MessageId(e.getKey(), committed.baseOffset() + j), false);
            }
        }
        return List.of(results);
    }

    static int partitionOf(QueueRef queue, ProduceRequest request, NewMessage message, int spread) {
        if (request.partition() != null) {
            return request.partition();
        }
        if (message.groupId() != null) {
            return Math.floorMod(message.groupId().hashCode(), queue.partitions());
        }
        return spread;
    }

    private static SegmentRecord record(QueueRef queue, NewMessage m, long now) {
        long delay = m.delayOverride().orElse(queue.settings().deliveryDelay()).toMillis();
        return new SegmentRecord(now, now + delay, m.groupId(), m.dedupId(), m.attributes(), m.bodyUnsafe());
    }
}
