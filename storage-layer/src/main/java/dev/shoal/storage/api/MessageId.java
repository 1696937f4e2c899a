package dev.shoal.storage.api;

/**
 * A message's identity: its partition and its offset in that partition's log. Written as
 * {@code "<partition>-<offset>"}, for example {@code "3-1024"}.
 */
public record MessageId(int partition, long offset) implements Comparable<MessageId> {

    public MessageId {
        if (partition < 0 || offset < 0) {
            throw new IllegalArgumentException("partition and offset must not be negative: " + partition + "-" + offset);
        }
    }

    public static MessageId parse(String text) {
        int dash = text == null ? -1 : text.indexOf('-');
        try {
            if (dash > 0) {
                return new MessageId(Integer.parseInt(text.substring(0, dash)), Long.parseLong(text.substring(dash + 1)));
            }
        } catch (IllegalArgumentException ignored) {
            // falls through to the error below
        }
        throw new InvalidRequestException("messageId", "must look like '<partition>-<offset>', for example '0-42', was '" + text + "'");
    }

    @Override
    public int compareTo(MessageId o) {
        int c = Integer.compare(partition, o.partition);
        return c != 0 ? c : Long.compare(offset, o.offset);
    }

    @Override
    public String toString() {
        return partition + "-" + offset;
    }
}
