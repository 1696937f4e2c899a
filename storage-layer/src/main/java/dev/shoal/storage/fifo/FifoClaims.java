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
 */
final class FifoClaims {

    static final int MAX_CLAIM = 500;
    private static final int MAX_APPEND_ATTEMPTS = 5;

    private final GateTable gates;
    private final LogIndex index;
    private final SegmentStore segments;

    FifoClaims(GateTable gates, LogIndex index, SegmentStore segments) {
        this.gates = gates;
        this.index = index;
        this.segments = segments;
    }

    /** A claimed range and the groups it touched, in order of their first offset. */
    record Claim(long start, long end, List<String> groups) {
    }

    Optional<Claim> claimNext(String stateKey, String logKey, long gen, long frontier, long now) {
        Optional<IndexEntry> segment = index.containing(logKey, frontier).or(() -> index.from(logKey, frontier, 1).stream().findFirst());
        if (segment.isEmpty()) {
            return Optional.empty();
        }
        IndexEntry entry = segment.get();
        long start = Math.max(frontier, entry.baseOffset());
        int count = (int) Math.min(MAX_CLAIM, entry.endOffset() - start);
        List<SegmentRecord> records;
        try {
            records = segments.read(entry, (int) (start - entry.baseOffset()), count);
        } catch (ObjectNotFoundException expired) {
            return Optional.empty();
        }
        int due = 0;
        while (due < records.size() && records.get(due).deliverAtMillis() <= now) due++;
        if (due == 0) {
            return Optional.empty();
        }
        long end = start + due;
        Map<String, List<Long>> byGroup = new LinkedHashMap<>();
        for (int i = 0; i < due; i++) {
            byGroup.computeIfAbsent(records.get(i).groupId(), g -> new ArrayList<>()).add(start + i);
        }
        long claimedTo = end;
        List<String> groups = new ArrayList<>();
        for (var e : byGroup.entrySet()) { // in order of each group's first offset
            if (!appendOnce(stateKey, gen, e.getKey(), e.getValue(), end, now)) {
                claimedTo = e.getValue().getFirst(); // that group's gate is full: the claim stops before it
                break;
            }
            groups.add(e.getKey());
        }
        if (claimedTo == start) {
            return Optional.empty();
        }
        gates.recordClaim(stateKey, gen, start, claimedTo); // false: a racer recorded the same claim
        return Optional.of(new Claim(start, claimedTo, groups));
    }

    /** Appends the offsets not appended yet; false when the group's gate is full. */
    private boolean appendOnce(String stateKey, long gen, String group, List<Long> offsets, long end, long now) {
        List<Long> todo = offsets;
        for (int attempt = 0; attempt < MAX_APPEND_ATTEMPTS; attempt++) {
            if (gates.append(stateKey, gen, group, todo, end, now)) {
                return true;
            }
            Gate gate = gates.get(stateKey, gen, group).orElse(null);
            long appendedUpTo = gate == null ? 0 : gate.upTo();
            todo = todo.stream().filter(o -> o >= appendedUpTo).toList();
            if (todo.isEmpty()) {
                return true;
            }
            if (gate != null && gate.pending().size() >= GateTable.MAX_PENDING) {
                return false;
            }
        }
        throw new dev.shoal.storage.RetryableException("could not append to the gate of group " + group + "; retry the receive", null);
    }
}
