package dev.shoal.storage.log;

import dev.shoal.storage.s3.ObjectNotFoundException;
import dev.shoal.storage.s3.ObjectStore;
import dev.shoal.storage.segment.EncodedSegment;
import dev.shoal.storage.segment.SegmentReader;
import dev.shoal.storage.segment.SegmentRecord;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Segments, read through a cache: in the object store, or, when small, inline in their log
 * entries (ADR 0016). Segments are immutable, so a reader cached by key never goes stale; the
 * cache only saves requests, correctness never needs it.
 *
 * <p>Small segments are fetched whole in one GET. Large ones are opened by their header and
 * block index ({@link IndexEntry#headerLength()} bytes), and then only the blocks holding the
 * wanted records are fetched, so a receive of ten messages does not download forty MiB.
 */
public final class SegmentStore {

    /** Segments up to this size are fetched whole: one GET instead of two. */
    static final long WHOLE_OBJECT_LIMIT = 1024 * 1024;

    private final ObjectStore objects;
    private final LogIndex index;
    private final Cache cache;

    /** @param index where inline segments are found when a reader has only their location */
    public SegmentStore(ObjectStore objects, LogIndex index, long cacheBytes) {
        this.objects = objects;
        this.index = index;
        this.cache = new Cache(cacheBytes);
    }

    public ObjectStore objects() {
        return objects;
    }

    /** Writes a new segment to the object store, and keeps it in the cache (receivers in this process will want it). */
    public void write(String key, EncodedSegment segment) {
        objects.put(key, segment.bytes());
        if (segment.bytes().length <= WHOLE_OBJECT_LIMIT) {
            keep(key, segment);
        }
    }

    /** Keeps a segment that is stored inline in its log entry in the cache: its commit writes it, not this store. */
    public void keep(String key, EncodedSegment segment) {
        Loaded whole = whole(key, segment.bytes());
        cache.put(key, whole.reader(), whole.weight());
    }

    /** Records {@code [first, first + count)} of the segment, counted from its first record. */
    public List<SegmentRecord> read(IndexEntry entry, int first, int count) {
        if (entry.isInline()) {
            return cached(entry.segmentKey(), () -> whole(entry.segmentKey(), entry.inline())).read(first, count);
        }
        return read(entry.location(), first, count);
    }

    /**
     * As {@link #read(IndexEntry, int, int)}, for callers that keep the segment's location
     * themselves. An inline segment not in the cache costs one read of its log entry.
     *
     * @throws ObjectNotFoundException the segment is gone (retention deleted its object or entry)
     */
    public List<SegmentRecord> read(SegmentLocation at, int first, int count) {
        Supplier<Loaded> load = SegmentKeys.isInline(at.key()) ? () -> fromEntry(at) : () -> fromObject(at);
        return cached(at.key(), load).read(first, count);
    }

    /** The cached reader of {@code key}, or a freshly loaded one, cached. */
    private SegmentReader cached(String key, Supplier<Loaded> load) {
        SegmentReader cached = cache.get(key);
        if (cached != null) {
            return cached;
        }
        Loaded loaded = load.get();
        cache.put(key, loaded.reader(), loaded.weight());
        return loaded.reader();
    }

    /** A reader, and the bytes it holds in memory (what it weighs in the cache). */
    private record Loaded(SegmentReader reader, long weight) {
    }

    private static Loaded whole(String key, byte[] bytes) {
        return new Loaded(SegmentReader.of(key, bytes), bytes.length);
    }

    private Loaded fromEntry(SegmentLocation at) {
        IndexEntry entry = index.at(at.partitionKey(), at.baseOffset())
                .filter(e -> e.segmentKey().equals(at.key()) && e.isInline())
                .orElseThrow(() -> new ObjectNotFoundException(at.key()));
        return whole(at.key(), entry.inline());
    }

    private Loaded fromObject(SegmentLocation at) {
        String key = at.key();
        if (at.bytes() <= WHOLE_OBJECT_LIMIT) {
            return whole(key, objects.get(key));
        }
        byte[] prefix = objects.getRange(key, 0, at.headerLength());
        return new Loaded(SegmentReader.open(key, prefix, at.bytes(), (offset, length) -> objects.getRange(key, offset, length)),
                prefix.length);
    }

    /** A least-recently-used map bounded by the bytes its readers hold. */
    private static final class Cache {
        private final long capacity;
        private long used;
        private final LinkedHashMap<String, Map.Entry<SegmentReader, Long>> entries = new LinkedHashMap<>(64, 0.75f, true);

        Cache(long capacity) {
            this.capacity = capacity;
        }

        synchronized SegmentReader get(String key) {
            var e = entries.get(key);
            return e == null ? null : e.getKey();
        }

        synchronized void put(String key, SegmentReader reader, long weight) {
            if (weight > capacity) {
                return;
            }
            var previous = entries.put(key, Map.entry(reader, weight));
            used += weight - (previous == null ? 0 : previous.getValue());
            var it = entries.entrySet().iterator();
            while (used > capacity && it.hasNext()) {
                used -= it.next().getValue().getValue();
                it.remove();
            }
        }
    }
}
