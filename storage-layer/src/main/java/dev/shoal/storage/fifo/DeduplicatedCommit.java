package dev.shoal.storage.fifo;

import dev.shoal.storage.api.MessageId;
import dev.shoal.storage.api.ProducedMessage;
import dev.shoal.storage.api.RetryableException;
import dev.shoal.storage.batching.Outcome;
import dev.shoal.storage.catalog.QueueRef;
import dev.shoal.storage.log.GroupCommit;
import dev.shoal.storage.log.GuardedCommit;
import dev.shoal.storage.log.PartitionLog;
import dev.shoal.storage.segment.SegmentRecord;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.function.LongFunction;

/**
 * Commits a FIFO partition's messages in their order, each deduplicated exactly: a message whose
 * key was committed within the window, or that repeats an earlier message of the same commit,
 * is not stored again and is answered with the original's id.
 *
 * <p>Concurrent produce calls to a partition share a flush ({@link #appendShared}, over
 * {@link GroupCommit}): one segment and one commit for all of them, their messages in arrival
 * order (a group's order is its commit order), each caller answered only after the commit that
 * holds its messages. Deduplication works per flush: the flush's keys are checked once before
 * the segment is written and again for the offset the commit is tried at (or ride in its
 * transaction as items, see {@link Deduplication}), so a duplicate between two callers of one
 * flush, between flushes, or against another process's commit is found all the same.
 */
public final class DeduplicatedCommit {

    /** A transaction holds at most 100 items: the index entry plus 99 guards. */
    public static final int MAX_GUARDED_MESSAGES = 99;

    /** One message to commit: its record, and the key it is deduplicated by ({@link Deduplication#keyOf}). */
    public record Entry(SegmentRecord record, String key) {
    }

    /** What a commit came to. */
    public sealed interface Result {
        /** Every message's id, in the entries' order ({@code duplicate}: the original's). */
        record Produced(List<ProducedMessage> messages) implements Result {
        }

        /** The idempotent producer's sequence guard failed: this batch, or a newer one, was committed before (its item). */
        record SequenceCommitted(Map<String, AttributeValue> producerItem) implements Result {
        }
    }

    private final PartitionLog log;
    private final Deduplication deduplication;
    private final GroupCommit<List<Entry>, List<ProducedMessage>> shared;

    public DeduplicatedCommit(PartitionLog log, Deduplication deduplication) {
        this.log = log;
        this.deduplication = deduplication;
        this.shared = log.groupCommit(this::flush, entries -> GroupCommit.bytesOf(entries.stream().map(Entry::record).toList()));
    }

    /** Commits {@code entries} with the other callers of the partition now (group commit); one answer per entry. */
    public List<ProducedMessage> appendShared(QueueRef queue, int partition, List<Entry> entries) {
        return shared.append(queue, partition, entries);
    }

    /**
     * Commits {@code entries} alone. With a {@code sequenceGuard} (an idempotent producer's, made
     * for the base offset tried), the batch commits only if the guard holds.
     */
    public Result commit(QueueRef queue, int partition, List<Entry> entries, LongFunction<TransactWriteItem> sequenceGuard) {
        ProducedMessage[] results = new ProducedMessage[entries.size()];
        Map<String, Integer> firstWithKey = new HashMap<>();
        List<Integer> unique = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            if (firstWithKey.putIfAbsent(entries.get(i).key(), i) == null) unique.add(i);
        }
        long now = producedAt(entries);
        // checked against the chain, a batch needs no guard item per message: one segment, not one per 99 messages
        int step = ChainDeduplication.applies(queue.settings()) ? Math.max(1, unique.size())
                : MAX_GUARDED_MESSAGES - (sequenceGuard == null ? 0 : 1);
        for (int from = 0; from < unique.size(); from += step) {
            List<Integer> slice = unique.subList(from, Math.min(unique.size(), from + step));
            Optional<Result> refused = commitSlice(queue, partition, entries, slice, now, sequenceGuard, results);
            if (refused.isPresent()) return refused.get();
        }
        for (int i = 0; i < entries.size(); i++) {
            if (results[i] == null) { // a repeat of an earlier message of this same commit
                results[i] = new ProducedMessage(results[firstWithKey.get(entries.get(i).key())].id(), true);
            }
        }
        return new Result.Produced(List.of(results));
    }

    /** One shared flush: every caller's entries as one commit, then each caller its own answers. */
    private List<Outcome<List<ProducedMessage>>> flush(QueueRef queue, int partition, List<List<Entry>> callers) {
        List<Entry> all = new ArrayList<>();
        callers.forEach(all::addAll);
        if (!(commit(queue, partition, all, null) instanceof Result.Produced produced)) {
            throw new IllegalStateException("a flush without a sequence guard cannot fail one");
        }
        List<Outcome<List<ProducedMessage>>> outcomes = new ArrayList<>(callers.size());
        int from = 0;
        for (List<Entry> entries : callers) {
            outcomes.add(Outcome.of(produced.messages().subList(from, from + entries.size())));
            from += entries.size();
        }
        return outcomes;
    }

    /**
     * Commits the entries at {@code indexes} as one segment, dropping (and answering) duplicates
     * until the rest commits. Empty when done; else the sequence guard's refusal.
     */
    private Optional<Result> commitSlice(QueueRef queue, int partition, List<Entry> entries, List<Integer> indexes, long now,
                                         LongFunction<TransactWriteItem> sequenceGuard, ProducedMessage[] results) {
        int first = sequenceGuard == null ? 0 : 1; // the sequence guard, when there is one, comes first
        List<Integer> todo = new ArrayList<>(indexes);
        while (!todo.isEmpty()) {
            List<String> keys = todo.stream().map(i -> entries.get(i).key()).toList();
            NavigableMap<Integer, MessageId> before = deduplication.committedBefore(queue, partition, keys, now);
            if (!before.isEmpty()) { // found in the partition's chain: no segment written for them
                answerDuplicates(before, todo, results);
                continue;
            }
            List<SegmentRecord> records = todo.stream().map(i -> entries.get(i).record()).toList();
            GuardedCommit<NavigableMap<Integer, MessageId>> outcome = log.appendGuarded(queue, partition, records,
                    base -> deduplication.guardsAt(queue, partition, keys, base, now,
                            sequenceGuard == null ? List.of() : List.of(sequenceGuard.apply(base))),
                    sequenceGuard != null || deduplication.writesItems(queue));
            switch (outcome) {
                case GuardedCommit.Committed<NavigableMap<Integer, MessageId>> c -> {
                    deduplication.committed(queue, partition, c.entry().baseOffset(), keys,
                            records.stream().map(SegmentRecord::timestampMillis).toList());
                    for (int j = 0; j < todo.size(); j++) {
                        results[todo.get(j)] = new ProducedMessage(new MessageId(partition, c.entry().baseOffset() + j), false);
                    }
                    return Optional.empty();
                }
                case GuardedCommit.Refused<NavigableMap<Integer, MessageId>> r -> answerDuplicates(r.reason(), todo, results);
                case GuardedCommit.GuardFailed<NavigableMap<Integer, MessageId>> f -> {
                    if (f.guardIndex() < first) return Optional.of(new Result.SequenceCommitted(f.existing()));
                    int j = f.guardIndex() - first;
                    MessageId original = deduplication.original(queue, keys.get(j), f.existing())
                            .orElseThrow(() -> new RetryableException("deduplication record vanished during produce; retry", null));
                    results[todo.remove(j)] = new ProducedMessage(original, true);
                }
            }
        }
        return Optional.empty();
    }

    /** Answers the duplicates (positions in {@code todo}) with their originals and drops them from {@code todo}. */
    private static void answerDuplicates(NavigableMap<Integer, MessageId> originals, List<Integer> todo, ProducedMessage[] results) {
        for (var d : originals.descendingMap().entrySet()) { // from the end, so that positions stay valid
            results[todo.remove((int) d.getKey())] = new ProducedMessage(d.getValue(), true);
        }
    }

    /** The earliest produce time of the entries: the window is measured from it, so no duplicate slips out of it. */
    private static long producedAt(List<Entry> entries) {
        long min = Long.MAX_VALUE;
        for (Entry e : entries) min = Math.min(min, e.record().timestampMillis());
        return entries.isEmpty() ? 0 : min;
    }
}
