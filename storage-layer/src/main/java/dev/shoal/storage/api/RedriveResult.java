package dev.shoal.storage.api;

/**
 * @param moved     messages moved in this call
 * @param remaining true when the dead-letter queue still had messages when the call stopped
 */
public record RedriveResult(long moved, boolean remaining) {
}
