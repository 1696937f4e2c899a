package dev.shoal.functions.api.sqs;

/**
 * An error as SQS reports it over the JSON protocol: the modeled shape in {@code __type}
 * ({@code com.amazonaws.sqs#QueueDoesNotExist}), from which the AWS SDKs pick the exception
 * class, and the legacy query code in the {@code x-amzn-query-error} header
 * ({@code AWS.SimpleQueueService.NonExistentQueue;Sender}), which they report as the error code.
 */
public final class SqsException extends RuntimeException {

    private final int status;
    private final String shape;
    private final String queryCode;
    private final boolean senderFault;

    public SqsException(int status, String shape, String queryCode, boolean senderFault, String message) {
        super(message);
        this.status = status;
        this.shape = shape;
        this.queryCode = queryCode;
        this.senderFault = senderFault;
    }

    /** A client error whose shape and query code are the same (most of them). */
    static SqsException sender(String code, String message) {
        return new SqsException(400, code, code, true, message);
    }

    static SqsException queueDoesNotExist(String queue) {
        return new SqsException(400, "QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue", true,
                "The specified queue does not exist: " + queue);
    }

    static SqsException invalidParameter(String parameter, Object value, String reason) {
        return sender("InvalidParameterValue", "Value " + value + " for parameter " + parameter + " is invalid. Reason: " + reason);
    }

    static SqsException missingParameter(String parameter) {
        return sender("MissingParameter", "The request must contain the parameter " + parameter + ".");
    }

    static SqsException batch(String shape, String message) {
        return new SqsException(400, shape, "AWS.SimpleQueueService." + shape, true, message);
    }

    public int status() {
        return status;
    }

    public String shape() {
        return shape;
    }

    public String queryCode() {
        return queryCode;
    }

    public boolean senderFault() {
        return senderFault;
    }
}
