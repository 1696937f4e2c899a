package dev.shoal.storage.api;

/** The queue, subscription or message named by the call does not exist. */
public class NotFoundException extends ShoalException {

    private final String code;

    public NotFoundException(String code, String message) {
        super(message);
        this.code = code;
    }

    public static NotFoundException queue(String queue) {
        return new NotFoundException("QueueNotFound", "queue '" + queue + "' does not exist");
    }

    public static NotFoundException subscription(String queue, String subscription) {
        return new NotFoundException("SubscriptionNotFound",
                "subscription '" + subscription + "' of queue '" + queue + "' does not exist");
    }

    @Override
    public String code() {
        return code;
    }
}
