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
                "The specified queue does not exist.");
    }

    static SqsException invalidParameter(String parameter, Object value, String reason) {
        return new SqsException(400, "InvalidParameterValueException", "InvalidParameterValue", true,
                "Value " + echo(value) + " for parameter " + parameter + " is invalid. Reason: " + reason);
    }

    /** An InvalidParameterValue whose message is SQS's own sentence, not the "Value ... for parameter" form. */
    static SqsException invalidParameterMessage(String message) {
        return new SqsException(400, "InvalidParameterValueException", "InvalidParameterValue", true, message);
    }

    static SqsException missingParameter(String parameter) {
        return missingParameterMessage("The request must contain the parameter " + parameter + ".");
    }

    static SqsException missingParameterMessage(String message) {
        return new SqsException(400, "MissingRequiredParameterException", "MissingParameter", true, message);
    }

    /** The longest piece of client input an error message repeats. */
    static final int MAX_ECHO = 256;

    /**
     * Client input as an error message repeats it: cut to {@link #MAX_ECHO} characters, so that a
     * 100 KB receipt handle does not come back as a 100 KB error.
     */
    static String echo(Object value) {
        String s = String.valueOf(value);
        return s.length() <= MAX_ECHO ? s : s.substring(0, MAX_ECHO) + "...(" + s.length() + " characters)";
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
