package dev.shoal.functions.api.sqs;

/**
 * Names under which the SQS face stores SQS system attributes among a message's attributes. They
 * sit under SQS's reserved "Amazon." prefix, which clients cannot send, and are never returned as
 * message attributes (so they never change MD5OfMessageAttributes). The trigger events read them too.
 */
public final class SqsStoredAttributes {

    /** A message's AWSTraceHeader system attribute (or the X-Amzn-Trace-Id header it came with). */
    public static final String TRACE_HEADER = "Amazon.SQS.AWSTraceHeader";

    private SqsStoredAttributes() {
    }
}
