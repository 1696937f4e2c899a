package dev.shoal.storage.s3;

import java.time.Instant;
import java.util.List;

/**
 * Where segments live: immutable objects addressed by key. The contract is what the log
 * relies on, so that any store meeting it (S3, S3 Express, a test store) can hold segments.
 */
public interface ObjectStore {

    /** Stores {@code bytes} under {@code key}. When it returns, the object MUST be durable and readable by every reader. */
    void put(String key, byte[] bytes);

    /** The whole object. MUST throw {@link ObjectNotFoundException} when there is none. */
    byte[] get(String key);

    /**
     * Bytes {@code [offset, offset + length)} of the object; fewer only if the object ends first.
     * MUST throw {@link ObjectNotFoundException} when there is none.
     */
    byte[] getRange(String key, long offset, int length);

    /** Deletes the objects; keys that do not exist are ignored. */
    void delete(List<String> keys);

    /** Up to {@code max} objects under {@code prefix} with keys after {@code startAfter} (null: from the start), in key order. */
    List<StoredObject> list(String prefix, String startAfter, int max);

    /** One listed object. */
    record StoredObject(String key, long size, Instant lastModified) {
    }
}
