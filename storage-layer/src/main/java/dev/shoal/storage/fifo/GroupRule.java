package dev.shoal.storage.fifo;

import dev.shoal.storage.fifo.ClaimedRange.Slot;
import dev.shoal.storage.fifo.ClaimedRange.Visibility;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SQS FIFO's group rule over the live ranges of a partition (ADR 0010, ADR 0013 part 2): a
 * message may be handed to a receive when it is visible and every earlier unacked message of its
 * group is handed to the same receive (or already held by it). So no message goes out while an
 * earlier one of its group is in flight or backing off, an earlier message whose visibility ran
 * out comes back even while a later one's was extended, and other groups go on.
 *
 * <p>A receive writes the ranges it takes from in offset order, each on its version: it holds a
 * later range's message of a group only after its write of every earlier range with that group's
 * messages succeeded. Two receives can therefore never hold messages of one group at once, as
 * long as a receive's hold on a group's later message never outlives its hold on an earlier one:
 * a receive leases a group's later messages no longer than the ones of the group it holds
 * already ({@link GroupTake#heldUntil}), so that they all run out together (ADR 0013 part 3).
 */
final class GroupRule {

    private GroupRule() {
    }

    /**
     * What one group can give a receive now.
     *
     * @param group     the group id
     * @param head      its earliest unacked offset
     * @param available the offsets the receive may take, in order (a prefix of the group's unacked ones, after those it holds)
     * @param heldByUs  whether the receive already holds the group's head
     * @param heldUntil when the earliest-running-out lease the receive holds in the group runs out
     *                  ({@link Long#MAX_VALUE} when it holds none): what it takes of the group is
     *                  leased no longer, or another receive could get the earlier message while
     *                  this one still held a later one
     */
    record GroupTake(String group, long head, List<Long> available, boolean heldByUs, long heldUntil) {
    }

    /**
     * Each group's takeable messages in the ranges (in offset order), groups in order of their
     * earliest unacked message (the oldest first). Groups with nothing to take are left out.
     *
     * @param lease the receive's lease: messages it holds count as taken by it
     */
    static List<GroupTake> takes(List<ClaimedRange> ranges, long now, String lease) {
        Map<String, long[]> heads = new LinkedHashMap<>(); // group -> {head offset}
        Map<String, List<Long>> available = new LinkedHashMap<>();
        Map<String, Boolean> blocked = new java.util.HashMap<>();
        Map<String, Boolean> held = new java.util.HashMap<>();
        Map<String, Long> heldUntil = new java.util.HashMap<>();
        for (ClaimedRange r : ranges) {
            for (int i = 0; i < r.slots().size(); i++) {
                Slot s = r.slots().get(i);
                if (!s.live()) continue;
                long offset = r.start() + i;
                String group = r.groups().get(s.group());
                boolean first = heads.putIfAbsent(group, new long[]{offset}) == null;
                if (blocked.containsKey(group)) continue;
                if (r.heldBy(offset, lease, now)) {
                    if (first) held.put(group, true);
                    heldUntil.merge(group, s.due(), Math::min);
                    continue;
                }
                if (s.at(now) == Visibility.AVAILABLE) {
                    available.computeIfAbsent(group, g -> new ArrayList<>()).add(offset);
                } else {
                    blocked.put(group, true);
                }
            }
        }
        List<GroupTake> out = new ArrayList<>();
        for (var e : heads.entrySet()) {
            List<Long> a = available.get(e.getKey());
            if (a != null) {
                out.add(new GroupTake(e.getKey(), e.getValue()[0], a, held.containsKey(e.getKey()),
                        heldUntil.getOrDefault(e.getKey(), Long.MAX_VALUE)));
            }
        }
        return out;
    }

    /** How many messages the ranges can give a receive now. */
    static int deliverable(List<ClaimedRange> ranges, long now, String lease) {
        return takes(ranges, now, lease).stream().mapToInt(t -> t.available().size()).sum();
    }
}
