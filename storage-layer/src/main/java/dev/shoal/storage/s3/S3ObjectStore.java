package dev.shoal.storage.s3;

import dev.shoal.storage.api.RetryableException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;

import java.util.ArrayList;
import java.util.List;

/** {@link ObjectStore} on an S3 bucket (or anything that speaks the S3 protocol). */
public final class S3ObjectStore implements ObjectStore {

    private static final int DELETE_BATCH = 1000;

    private final S3Client s3;
    private final String bucket;

    public S3ObjectStore(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    @Override
    public void put(String key, byte[] bytes) {
        s3.putObject(b -> b.bucket(bucket).key(key).contentType("application/vnd.shoal.segment"), RequestBody.fromBytes(bytes));
    }

    @Override
    public byte[] get(String key) {
        try {
            return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
        } catch (NoSuchKeyException e) {
            throw new ObjectNotFoundException(key);
        }
    }

    @Override
    public byte[] getRange(String key, long offset, int length) {
        if (length <= 0) {
            return new byte[0];
        }
        try {
            String range = "bytes=" + offset + "-" + (offset + length - 1);
            return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key).range(range)).asByteArray();
        } catch (NoSuchKeyException e) {
            throw new ObjectNotFoundException(key);
        }
    }

    @Override
    public void delete(List<String> keys) {
        for (int i = 0; i < keys.size(); i += DELETE_BATCH) {
            List<ObjectIdentifier> ids = keys.subList(i, Math.min(keys.size(), i + DELETE_BATCH)).stream()
                    .map(k -> ObjectIdentifier.builder().key(k).build()).toList();
            var response = s3.deleteObjects(b -> b.bucket(bucket).delete(Delete.builder().objects(ids).quiet(true).build()));
            // a 200 can still report keys S3 did not delete; the caller must come back for them
            if (response.hasErrors() && !response.errors().isEmpty()) {
                var first = response.errors().getFirst();
                throw new RetryableException("S3 did not delete " + response.errors().size() + " of " + ids.size()
                        + " objects (first: " + first.key() + ", " + first.code() + "); they are deleted on a later pass", null);
            }
        }
    }

    @Override
    public List<StoredObject> list(String prefix, String startAfter, int max) {
        var response = s3.listObjectsV2(b -> b.bucket(bucket).prefix(prefix).startAfter(startAfter).maxKeys(max));
        List<StoredObject> objects = new ArrayList<>(response.contents().size());
        response.contents().forEach(o -> objects.add(new StoredObject(o.key(), o.size(), o.lastModified())));
        return objects;
    }
}
