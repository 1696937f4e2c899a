package dev.shoal.storage;

import dev.shoal.storage.api.ConflictException;
import dev.shoal.storage.api.InvalidRequestException;
import dev.shoal.storage.api.MessageId;
import dev.shoal.storage.api.NewMessage;
import dev.shoal.storage.api.ProduceRequest;
import dev.shoal.storage.api.ProducedMessage;
import dev.shoal.storage.catalog.QueueRef;
import dev.shoal.storage.fifo.ChainDeduplication;
import dev.shoal.storage.fifo.DeduplicatedCommit;
import dev.shoal.storage.fifo.Deduplication;
import dev.shoal.storage.fifo.ProducerSequences;
import dev.shoal.storage.log.CommitGuards;
import dev.shoal.storage.log.GuardedCommit;
import dev.shoal.storage.log.MessageValidator;
import dev.shoal.storage.log.PartitionLog;
import dev.shoal.storage.segment.SegmentRecord;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongFunction;

/**
 * Produce: checks the whole batch first (nothing is written when any message is invalid),
 * places messages on partitions (a message group always on the same one, by hash; a batch
 * without groups on one partition), and appends them per partition through group commit:
 * concurrent produce calls to a partition share one segment and one commit. Acknowledged only
 * after every commit holding the batch's messages.
 *
 * <p>FIFO queues deduplicate each message exactly, per flush ({@link DeduplicatedCommit}). An
 * idempotent producer (producer id + sequence) commits its batch alone, with one check of its
 * sequence in the commit.
 */
final class Producer {

    private final PartitionLog log;
    private final Deduplication deduplication;
    private final DeduplicatedCommit fifo;
    private final ProducerSequences sequences;
    private final Clock clock;

    Producer(PartitionLog log, Deduplication deduplication, ProducerSequences sequences, Clock clock) {
        this.log = log;
        this.deduplication = deduplication;
        this.fifo = new DeduplicatedCommit(log, deduplication);
        this.sequences = sequences;
        this.clock = clock;
    }

    List<ProducedMessage> produce(QueueRef queue, ProduceRequest request) {
        MessageValidator.check(request, queue.settings());
        long now = clock.millis();
        List<NewMessage> messages = request.messages();
        if (request.producerId() != null) {
            return produceIdempotent(queue, request, now);
        }
        int spread = ThreadLocalRandom.current().nextInt(queue.partitions());
        Map<Integer, List<Integer>> byPartition = new TreeMap<>();
        for (int i = 0; i < messages.size(); i++) {
            byPartition.computeIfAbsent(partitionOf(queue, request, messages.get(i), spread), k -> new ArrayList<>()).add(i);
        }
        ProducedMessage[] results = new ProducedMessage[messages.size()];
        for (var e : byPartition.entrySet()) {
            List<Integer> indexes = e.getValue();
            if (queue.fifo()) {
                List<ProducedMessage> produced = fifo.appendShared(queue, e.getKey(), entries(queue, messages, indexes, now));
                for (int j = 0; j < indexes.size(); j++) results[indexes.get(j)] = produced.get(j);
            } else {
                long base = log.appendShared(queue, e.getKey(), records(queue, messages, indexes, now));
                assign(results, indexes, e.getKey(), base);
            }
        }
        return List.of(results);
    }

    private List<ProducedMessage> produceIdempotent(QueueRef queue, ProduceRequest request, long now) {
        int partition = request.partition();
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < request.messages().size(); i++) all.add(i);
        if (queue.fifo() && all.size() > DeduplicatedCommit.MAX_GUARDED_MESSAGES - 1) {
            throw new InvalidRequestException("messages", "an idempotent batch on a FIFO queue holds at most "
                    + (DeduplicatedCommit.MAX_GUARDED_MESSAGES - 1) + " messages (one transaction with their deduplication ids), had " + all.size());
        }
        LongFunction<TransactWriteItem> sequenceGuard = base ->
                sequences.guard(queue, partition, request.producerId(), request.sequence(), base, all.size(), now);
        if (queue.fifo() && ChainDeduplication.applies(queue.settings())) {
            // duplicates are found there before the commit's transaction, which would check the sequence first: check it now
            var committed = sequences.committedAtOrAfter(queue, partition, request.producerId(), request.sequence());
            if (committed.isPresent()) return answerCommittedSequence(request, all.size(), committed.get());
        }
        if (queue.fifo()) {
            return switch (fifo.commit(queue, partition, entries(queue, request.messages(), all, now), sequenceGuard)) {
                case DeduplicatedCommit.Result.Produced produced -> produced.messages();
                case DeduplicatedCommit.Result.SequenceCommitted taken -> answerCommittedSequence(request, all.size(), taken.producerItem());
            };
        }
        GuardedCommit<Void> outcome = log.appendGuarded(queue, partition, records(queue, request.messages(), all, now),
                base -> CommitGuards.write(List.of(sequenceGuard.apply(base))));
        return switch (outcome) {
            case GuardedCommit.Committed<Void> c -> {
                ProducedMessage[] results = new ProducedMessage[all.size()];
                assign(results, all, partition, c.entry().baseOffset());
                yield List.of(results);
            }
            case GuardedCommit.GuardFailed<Void> f -> answerCommittedSequence(request, all.size(), f.existing());
            case GuardedCommit.Refused<Void> r -> throw new IllegalStateException("a sequence guard does not refuse");
        };
    }

    /**
     * The producer's sequence was committed before: the same batch gets its original ids back;
     * an older one is refused.
     */
    private static List<ProducedMessage> answerCommittedSequence(ProduceRequest request, int count, Map<String, AttributeValue> item) {
        ProducerSequences.LastBatch last = ProducerSequences.LastBatch.of(item);
        int partition = request.partition();
        if (last.sequence() == request.sequence()) {
            List<ProducedMessage> results = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                results.add(new ProducedMessage(new MessageId(partition, last.baseOffset() + i), true));
            }
            return results;
        }
        throw new ConflictException("SequenceOutOfOrder", "producer '" + request.producerId() + "' already committed sequence "
                + last.sequence() + " on partition " + partition + "; batch " + request.sequence() + " is older and was not written again");
    }

    /** Purge: FIFO queues forget their deduplication ids (standard queues keep none). */
    void forgetDeduplication(QueueRef queue) {
        if (queue.fifo()) {
            deduplication.clear(queue);
        }
    }

    private static void assign(ProducedMessage[] results, List<Integer> indexes, int partition, long base) {
        for (int j = 0; j < indexes.size(); j++) {
            results[indexes.get(j)] = new ProducedMessage(new MessageId(partition, base + j), false);
        }
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

    private static List<DeduplicatedCommit.Entry> entries(QueueRef queue, List<NewMessage> messages, List<Integer> indexes, long now) {
        List<SegmentRecord> records = records(queue, messages, indexes, now);
        List<DeduplicatedCommit.Entry> entries = new ArrayList<>(indexes.size());
        for (int j = 0; j < indexes.size(); j++) {
            entries.add(new DeduplicatedCommit.Entry(records.get(j), Deduplication.keyOf(queue.settings(), messages.get(indexes.get(j)))));
        }
        return entries;
    }

    private static List<SegmentRecord> records(QueueRef queue, List<NewMessage> messages, List<Integer> indexes, long now) {
        List<SegmentRecord> records = new ArrayList<>(indexes.size());
        for (int i : indexes) {
            NewMessage m = messages.get(i);
            // FIFO queues have no per-message delay (a zero one is accepted, as SQS does): the queue's always applies
            long delay = (queue.fifo() ? queue.settings().deliveryDelay() : m.delayOverride().orElse(queue.settings().deliveryDelay())).toMillis();
            records.add(new SegmentRecord(now, now + delay, m.groupId(), m.dedupId(), m.attributes(), m.bodyUnsafe()));
        }
        return records;
    }
}
