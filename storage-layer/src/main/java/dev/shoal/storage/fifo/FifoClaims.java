package dev.shoal.storage.fifo;

import dev.shoal.storage.log.IndexEntry;
import dev.shoal.storage.log.LogIndex;
import dev.shoal.storage.log.SegmentStore;
import dev.shoal.storage.s3.ObjectNotFoundException;
import dev.shoal.storage.segment.SegmentRecord;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Claims the records after a FIFO subscription's frontier: each group's offsets are appended to
 * its gate, then the range is recorded as claimed. Appends are idempotent (a gate remembers how
 * far it was appended), so a claimer that dies halfway, or two that race, leave every offset in
 * its gate exactly once. A claim stops before the first record that is not due yet (a queue's
 * delivery delay), so a group's order is never broken by a delay.
 *
 * <p>One claim reads up to {@link #MAX_SEGMENTS} segments (one message each when producers send
 * one at a time), so that a receive looking past busy groups finds the others' messages.
 */
final class FifoClaims {

    static final int MAX_CLAIM = 500;
    static final int MAX_SEGMENTS = 25;
    private static final int MAX_APPEND_ATTEMPTS = 5;

    private final GateTable gates;
    private final LogIndex index;
    private final SegmentStore segments;

    FifoClaims(GateTable gates, LogIndex index, SegmentStore segments) {
        this.gates = gates;
        this.index = index;
        this.segments = segments;
    }

    /**
     * A claimed range and the gates it appended to, in order of each group's first offset; a
     * gate is null when another claimer appended these offsets first (read it to know it).
     */
    record Claim(long start, long end, Map<String, Gate> gates) {
    }

    /** Claims up to {@code limit} records (at most {@link #MAX_CLAIM}) from {@code frontier} on. */
    Optional<Claim> claimNext(String stateKey, String logKey, long gen, long frontier, int limit, long now) {
        List<IndexEntry> entries = new ArrayList<>();
        index.containing(logKey, frontier).ifPresent(entries::add);
        entries.addAll(index.from(logKey, entries.isEmpty() ? frontier : entries.getFirst().endOffset(), MAX_SEGMENTS - entries.size()));
        if (entries.isEmpty()) {
            return Optional.empty();
        }
        long start = Math.max(frontier, entries.getFirst().baseOffset());
        List<SegmentRecord> records = dueRecords(entries, start, Math.min(limit, MAX_CLAIM), now);
        if (records.isEmpty()) {
            return Optional.empty();
        }
        long end = start + records.size();
        Map<String, List<Long>> byGroup = new LinkedHashMap<>();
        for (int i = 0; i < records.size(); i++) {
            byGroup.computeIfAbsent(records.get(i).groupId(), g -> new ArrayList<>()).add(start + i);
        }
        long claimedTo = end;
        Map<String, Gate> appended = new LinkedHashMap<>();
        for (var e : byGroup.entrySet()) { // in order of each group's first offset
            Optional<Optional<Gate>> gate = appendOnce(stateKey, gen, e.getKey(), e.getValue(), end, now);
            if (gate.isEmpty()) {
                claimedTo = e.getValue().getFirst(); // that group's gate is full: the claim stops before it
                break;
            }
            appended.put(e.getKey(), gate.get().orElse(null));
        }
        if (claimedTo == start) {
            return Optional.empty();
        }
        gates.recordClaim(stateKey, gen, start, claimedTo); // false: a racer recorded the same claim
        return Optional.of(new Claim(start, claimedTo, appended));
    }

    /** The records from {@code start} on, over consecutive segments, up to the first one not due yet. */
    private List<SegmentRecord> dueRecords(List<IndexEntry> entries, long start, int limit, long now) {
        List<SegmentRecord> out = new ArrayList<>();
        long next = start;
        for (IndexEntry entry : entries) {
            if (!entry.contains(next) || out.size() >= limit) break; // a gap, or enough
            int count = (int) Math.min(limit - out.size(), entry.endOffset() - next);
            List<SegmentRecord> records;
            try {
                records = segments.read(entry, (int) (next - entry.baseOffset()), count);
            } catch (ObjectNotFoundException expired) {
                break; // retention deleted it while we looked: the next claim starts past it
            }
            for (SegmentRecord r : records) {
                if (r.deliverAtMillis() > now) return out;
                out.add(r);
            }
            next += count;
        }
        return out;
    }

    /**
     * Appends the offsets not appended yet. Empty when the group's gate is full; else the gate
     * after the append, or empty inside when another claimer appended them.
     */
    private Optional<Optional<Gate>> appendOnce(String stateKey, long gen, String group, List<Long> offsets, long end, long now) {
        List<Long> todo = offsets;
        for (int attempt = 0; attempt < MAX_APPEND_ATTEMPTS; attempt++) {
            Optional<Gate> appended = gates.append(stateKey, gen, group, todo, end, now);
            if (appended.isPresent()) {
                return Optional.of(appended);
            }
            Gate gate = gates.get(stateKey, gen, group).orElse(null);
            long appendedUpTo = gate == null ? 0 : gate.upTo();
            todo = todo.stream().filter(o -> o >= appendedUpTo).toList();
            if (todo.isEmpty()) {
                return Optional.of(Optional.ofNullable(gate));
            }
            if (gate != null && gate.pending().size() >= GateTable.MAX_PENDING) {
                return Optional.empty();
            }
        }
        throw new dev.shoal.storage.api.RetryableException("could not append to the gate of group " + group + "; retry the receive", null);
    }
}
