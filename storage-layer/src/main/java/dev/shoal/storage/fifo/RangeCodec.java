package dev.shoal.storage.fifo;

import dev.shoal.storage.dynamodb.FifoItems;
import dev.shoal.storage.fifo.ClaimedRange.Delivery;
import dev.shoal.storage.fifo.ClaimedRange.Slot;
import dev.shoal.storage.fifo.ClaimedRange.SlotState;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.shoal.storage.dynamodb.Items.*;
import static dev.shoal.storage.dynamodb.ShoalTables.STATE_PARTITION_KEY;
import static dev.shoal.storage.dynamodb.ShoalTables.STATE_SORT_KEY;
import static dev.shoal.storage.dynamodb.ShoalTables.STATE_TTL_ATTRIBUTE;

/**
 * A claimed range as its item (docs/design.md, "Tables"). Item size is what every write of it
 * is billed by, so the slots are one string: a token per offset, separated by spaces, with times
 * relative to the range's base time {@code t0}:
 * <ul>
 *   <li>{@code <g>}: NEW, of group index g;</li>
 *   <li>{@code <g>,l|b,<receiveCount>,<firstReceived>,<delivery>,<due>}: LEASED or BACKING_OFF;</li>
 *   <li>{@code a<delivery>}: ACKED under that delivery; {@code x<delivery>}: DROPPED (delivery -1 if none).</li>
 * </ul>
 * Deliveries are {@code <lease>,<leasedAt - t0>,<reach - start>}. Receive counts and
 * first-received times of acked and dropped offsets are not kept (no one reads them). Deliveries
 * no slot names any more are not written. A done range keeps no groups.
 * Items without {@code o} are claimed ranges of the gate layout (before ADR 0013 part 2).
 */
final class RangeCodec {

    static final String SLOTS = "o";

    private RangeCodec() {
    }

    static Map<String, AttributeValue> key(String stateKey, long gen, long start) {
        return Map.of(STATE_PARTITION_KEY, s(stateKey), STATE_SORT_KEY, s(FifoItems.claimSortKey(gen, start)));
    }

    static boolean gateLayout(Map<String, AttributeValue> item) {
        return !item.containsKey(SLOTS);
    }

    static Map<String, AttributeValue> encode(String stateKey, ClaimedRange r, long version) {
        long t0 = base(r);
        List<Integer> renumbered = new ArrayList<>();
        List<AttributeValue> deliveries = new ArrayList<>();
        for (int i = 0; i < r.deliveries().size(); i++) renumbered.add(-1);
        StringBuilder o = new StringBuilder();
        boolean done = r.done();
        for (Slot slot : r.slots()) {
            int d = slot.delivery();
            if (d >= 0 && renumbered.get(d) < 0) {
                renumbered.set(d, deliveries.size());
                Delivery del = r.deliveries().get(d);
                deliveries.add(s(del.lease() + "," + (del.leasedAt() - t0) + "," + (del.reach() - r.start())));
            }
            int nd = d < 0 ? -1 : renumbered.get(d);
            if (!o.isEmpty()) o.append(' ');
            switch (slot.state()) {
                case NEW -> o.append(slot.group());
                case LEASED, BACKING_OFF -> o.append(slot.group()).append(slot.state() == SlotState.LEASED ? ",l," : ",b,")
                        .append(slot.receiveCount()).append(',').append(slot.firstReceived() - t0).append(',')
                        .append(nd).append(',').append(slot.due() - t0);
                case ACKED -> o.append('a').append(nd);
                case DROPPED -> o.append('x').append(nd);
            }
        }
        Map<String, AttributeValue> item = new HashMap<>(key(stateKey, r.gen(), r.start()));
        item.put("end", n(r.end()));
        item.put("t0", n(t0));
        item.put("grp", AttributeValue.fromL(done ? List.of() : r.groups().stream().map(g -> s(g)).toList()));
        item.put("d", AttributeValue.fromL(deliveries));
        item.put(SLOTS, s(o.toString()));
        item.put("v", n(version));
        if (r.doneAt() > 0) item.put("done", n(r.doneAt()));
        if (r.expiresAt() > 0) item.put(STATE_TTL_ATTRIBUTE, n(r.expiresAt()));
        return item;
    }

    static ClaimedRange decode(long gen, Map<String, AttributeValue> item) {
        long start = FifoItems.claimStart(str(item, STATE_SORT_KEY));
        long t0 = num(item, "t0", 0);
        List<String> groups = strings(item, "grp");
        List<Delivery> deliveries = new ArrayList<>();
        for (String d : strings(item, "d")) {
            String[] f = d.split(",");
            deliveries.add(new Delivery(f[0], t0 + Long.parseLong(f[1]), start + Long.parseLong(f[2])));
        }
        List<Slot> slots = new ArrayList<>();
        for (String token : str(item, SLOTS).split(" ")) {
            slots.add(slot(token, t0));
        }
        return new ClaimedRange(gen, start, groups, slots, deliveries, num(item, "done", 0),
                num(item, STATE_TTL_ATTRIBUTE, 0), num(item, "v", 0));
    }

    private static Slot slot(String token, long t0) {
        char c = token.charAt(0);
        if (c == 'a' || c == 'x') {
            return new Slot(c == 'a' ? SlotState.ACKED : SlotState.DROPPED, -1, 0, 0, Integer.parseInt(token.substring(1)), 0);
        }
        String[] f = token.split(",");
        if (f.length == 1) return Slot.fresh(Integer.parseInt(f[0]));
        return new Slot(f[1].equals("l") ? SlotState.LEASED : SlotState.BACKING_OFF, Integer.parseInt(f[0]), Integer.parseInt(f[2]),
                t0 + Long.parseLong(f[3]), Integer.parseInt(f[4]), t0 + Long.parseLong(f[5]));
    }

    /** The base of the relative times: the earliest delivery (times after it are short), or 0 when none. */
    private static long base(ClaimedRange r) {
        return r.deliveries().stream().mapToLong(Delivery::leasedAt).min().orElse(0);
    }

    private static List<String> strings(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || !v.hasL() ? List.of() : v.l().stream().map(AttributeValue::s).toList();
    }
}
