package dev.shoal.storage;

import dev.shoal.storage.catalog.QueueRef;
import dev.shoal.storage.fifo.ChainDeduplication;
import dev.shoal.storage.fifo.Deduplication;
import dev.shoal.storage.fifo.ProducerSequences;
import dev.shoal.storage.log.GuardFailedException;
import dev.shoal.storage.log.IndexEntry;
import dev.shoal.storage.log.MessageValidator;
import dev.shoal.storage.log.PartitionLog;
import dev.shoal.storage.segment.SegmentRecord;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongFunction;

/**
 * Produce: checks the whole batch first (nothing is written when any message is invalid),
 * places messages on partitions (a message group always on the same one, by hash; a batch
 * without groups on one partition), and appends them per partition. Standard queues append
 * through group commit: concurrent produce calls to a partition share one segment and one
 * commit. Acknowledged only after every commit holding the batch's messages.
 *
 * <p>FIFO queues deduplicate each message in the commit's transaction; an idempotent producer
 * (producer id + sequence) adds one check per batch, in the same transaction.
 */
final class Producer {

    /** A transaction holds at most 100 items: the index entry plus 99 deduplication guards. */
    static final int MAX_GUARDED_MESSAGES = 99;

    private final PartitionLog log;
    private final Deduplication deduplication;
    private final ProducerSequences sequences;
    private final Clock clock;

    Producer(PartitionLog log, Deduplication deduplication, ProducerSequences sequences, Clock clock) {
        this.log = log;
        this.deduplication = deduplication;
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
            if (queue.fifo()) {
                produceDeduplicated(queue, e.getKey(), messages, e.getValue(), now, results, null);
            } else {
                long base = log.appendShared(queue, e.getKey(), records(queue, messages, e.getValue(), now));
                assign(results, e.getValue(), e.getKey(), base);
            }
        }
        return List.of(results);
    }

    private List<ProducedMessage> produceIdempotent(QueueRef queue, ProduceRequest request, long now) {
        int partition = request.partition();
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < request.messages().size(); i++) all.add(i);
        if (queue.fifo() && all.size() > MAX_GUARDED_MESSAGES - 1) {
            throw new InvalidRequestException("messages", "an idempotent batch on a FIFO queue holds at most "
                    + (MAX_GUARDED_MESSAGES - 1) + " messages (one transaction with their deduplication ids), had " + all.size());
        }
        ProducedMessage[] results = new ProducedMessage[all.size()];
        LongFunction<TransactWriteItem> sequenceGuard = base ->
                sequences.guard(queue, partition, request.producerId(), request.sequence(), base, all.size(), now);
        try {
            if (queue.fifo() && ChainDeduplication.applies(queue.settings())) {
                // duplicates are found there before the commit's transaction, which would check the sequence first: check it now
                var committed = sequences.committedAtOrAfter(queue, partition, request.producerId(), request.sequence());
                if (committed.isPresent()) throw new SequenceGuardFailed(committed.get());
            }
            if (queue.fifo()) {
                produceDeduplicated(queue, partition, request.messages(), all, now, results, sequenceGuard);
            } else {
                try {
                    IndexEntry committed = log.append(queue, partition, records(queue, request.messages(), all, now),
                            base -> List.of(sequenceGuard.apply(base)));
                    assign(results, all, partition, committed.baseOffset());
                } catch (GuardFailedException e) {
                    throw new SequenceGuardFailed(e.existing());
                }
            }
            return List.of(results);
        } catch (SequenceGuardFailed e) {
            ProducerSequences.LastBatch last = ProducerSequences.LastBatch.of(e.existing);
            if (last.sequence() == request.sequence()) {
                for (int i = 0; i < all.size(); i++) {
                    results[i] = new ProducedMessage(new MessageId(partition, last.baseOffset() + i), true);
                }
                return List.of(results);
            }
            throw new ConflictException("SequenceOutOfOrder", "producer '" + request.producerId() + "' already committed sequence "
                    + last.sequence() + " on partition " + partition + "; batch " + request.sequence() + " is older and was not written again");
        }
    }

    /** The idempotent producer's sequence guard failed: this batch (or a newer one) was committed before. */
    private static final class SequenceGuardFailed extends RuntimeException {
        final transient Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> existing;

        SequenceGuardFailed(Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> existing) {
            super(null, null, false, false);
            this.existing = existing;
        }
    }

    /** Commits the partition's messages in order, in transactions of at most 99, skipping duplicates. */
    private void produceDeduplicated(QueueRef queue, int partition, List<NewMessage> messages, List<Integer> indexes,
                                     long now, ProducedMessage[] results, LongFunction<TransactWriteItem> sequenceGuard) {
        Map<String, Integer> firstWithKey = new HashMap<>();
        List<Integer> pending = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (int i : indexes) {
            String key = Deduplication.keyOf(queue.settings(), messages.get(i));
            Integer first = firstWithKey.putIfAbsent(key, i);
            if (first == null) {
                pending.add(i);
                keys.add(key);
            }
        }
        // checked against the chain, a batch needs no guard item per message: one segment, not one per 99 messages
        int step = ChainDeduplication.applies(queue.settings()) ? Math.max(1, pending.size()) : MAX_GUARDED_MESSAGES;
        for (int from = 0; from < pending.size(); from += step) {
            commitGuarded(queue, partition, messages, pending.subList(from, Math.min(pending.size(), from + step)),
                    keys.subList(from, Math.min(keys.size(), from + step)), now, results, sequenceGuard);
        }
        for (int i : indexes) {
            if (results[i] == null) { // a repeat of an earlier message of this same batch
                ProducedMessage first = results[firstWithKey.get(Deduplication.keyOf(queue.settings(), messages.get(i)))];
                results[i] = new ProducedMessage(first.id(), true);
            }
        }
    }

    private void commitGuarded(QueueRef queue, int partition, List<NewMessage> messages, List<Integer> indexes, List<String> keys,
                               long now, ProducedMessage[] results, LongFunction<TransactWriteItem> sequenceGuard) {
        int first = sequenceGuard == null ? 0 : 1; // the sequence guard, when there is one, comes first
        List<Integer> todo = new ArrayList<>(indexes);
        List<String> todoKeys = new ArrayList<>(keys);
        while (!todo.isEmpty()) {
            List<String> guardKeys = List.copyOf(todoKeys);
            try {
                deduplication.precheck(queue, partition, todoKeys, now);
                IndexEntry committed = log.append(queue, partition, records(queue, messages, todo, now), base -> {
                    List<TransactWriteItem> guards = new ArrayList<>(guardKeys.size() + 1);
                    if (sequenceGuard != null) guards.add(sequenceGuard.apply(base));
                    guards.addAll(deduplication.guards(queue, partition, guardKeys, base, now));
                    return guards;
                });
                assign(results, todo, partition, committed.baseOffset());
                return;
            } catch (ChainDeduplication.Duplicate duplicates) { // found in the partition's chain: no item was written
                for (var d : duplicates.originals().descendingMap().entrySet()) { // from the end, so that indexes stay valid
                    results[todo.get(d.getKey())] = new ProducedMessage(d.getValue(), true);
                    todo.remove((int) d.getKey());
                    todoKeys.remove((int) d.getKey());
                }
            } catch (GuardFailedException duplicate) {
                if (duplicate.guardIndex() < first) {
                    throw new SequenceGuardFailed(duplicate.existing());
                }
                int j = duplicate.guardIndex() - first;
                MessageId original = deduplication.original(queue, todoKeys.get(j), duplicate.existing())
                        .orElseThrow(() -> new RetryableException("deduplication record vanished during produce; retry", duplicate));
                results[todo.get(j)] = new ProducedMessage(original, true);
                todo.remove(j);
                todoKeys.remove(j);
            }
        }
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
