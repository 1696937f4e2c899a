package dev.shoal.it;

import java.util.List;
import java.util.Map;

/**
 * One SQS client library, seen through the few calls the compatibility suite makes. Each
 * implementation uses its library exactly as an application would: only the endpoint differs.
 */
interface SqsDriver {

    /** @param id the message id; md5Attributes its MD5OfMessageAttributes (null without attributes); sequence FIFO's, or null */
    record Sent(String id, String md5Attributes, String sequence) {
    }

    /** A received message: user string attributes, and system attributes by SQS name. */
    record Received(String id, String body, String receipt, Map<String, String> attributes, Map<String, String> system,
                    String md5Attributes) {
    }

    String name();

    String createQueue(String name, Map<String, String> attributes);

    Sent send(String url, String body, Map<String, String> stringAttributes, String groupId);

    /** The message ids, in entry order; fails if any entry failed. */
    List<String> sendBatch(String url, List<String> bodies);

    /** Up to {@code max} messages, with every system and message attribute. */
    List<Received> receive(String url, int max, int waitSeconds);

    void delete(String url, String receipt);

    /** Deletes in one batch; returns how many entries succeeded. */
    int deleteBatch(String url, List<String> receipts);

    void changeVisibility(String url, String receipt, int seconds);

    Map<String, String> attributes(String url);

    void tag(String url, Map<String, String> tags);

    Map<String, String> tags(String url);

    /** The error code (SQS's query code, as the library reports it) of a call that must fail. */
    String errorCodeOfGetQueueUrl(String missingQueue);
}
