package dev.shoal.storage.s3;

import dev.shoal.storage.api.ShoalException;

/** A segment named by the log is not in the object store (deleted by retention, or never written). */
public class ObjectNotFoundException extends ShoalException {

    public ObjectNotFoundException(String key) {
        super("object '" + key + "' does not exist");
    }

    @Override
    public String code() {
        return "SegmentNotFound";
    }
}
