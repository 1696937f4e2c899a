package dev.shoal.functions.api.sqs;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shoal.functions.api.HttpResponse;
import dev.shoal.functions.api.Json;
import dev.shoal.storage.api.CommitStateUnknownException;
import dev.shoal.storage.api.ConflictException;
import dev.shoal.storage.api.InvalidRequestException;
import dev.shoal.storage.api.NotFoundException;
import dev.shoal.storage.api.RetryableException;
import dev.shoal.storage.api.ShoalException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Set;

/** Shoal's errors in SQS's words, and the JSON 1.0 error response the AWS SDKs parse. */
final class SqsErrors {

    static final String CONTENT_TYPE = "application/x-amz-json-1.0";
    /** Storage conflicts that SQS reports as an expired receipt handle. */
    private static final Set<String> EXPIRED = Set.of("ReceiptHandleExpired");
    private static final Logger LOG = LoggerFactory.getLogger(SqsErrors.class);

    private SqsErrors() {
    }

    /** A service error outside any receipt context. */
    static SqsException translate(ShoalException e) {
        return switch (e) {
            case NotFoundException n when "QueueNotFound".equals(n.code()) ->
                    new SqsException(400, "QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue", true, "The specified queue does not exist.");
            case NotFoundException n -> SqsException.sender("ResourceNotFoundException", e.getMessage());
            case ConflictException c when "QueueAlreadyExists".equals(c.code()) ->
                    new SqsException(400, "QueueNameExists", "QueueAlreadyExists", true, e.getMessage());
            case ConflictException c -> SqsException.sender(c.code(), e.getMessage());
            case InvalidRequestException i -> SqsException.invalidParameterMessage(e.getMessage());
            case RetryableException r -> new SqsException(503, "ServiceUnavailable", "ServiceUnavailable", false, e.getMessage());
            case CommitStateUnknownException u -> new SqsException(503, u.code(), u.code(), false, e.getMessage());
            default -> new SqsException(500, "InternalFailure", "InternalFailure", false, e.getMessage());
        };
    }

    /** A per-receipt failure: a forged or malformed receipt, or a lease that is no longer the message's. */
    static SqsException forReceipt(ShoalException e, String receipt) {
        return switch (e) {
            case InvalidRequestException i -> SqsException.sender("ReceiptHandleIsInvalid",
                    "The input receipt handle \"" + SqsException.echo(receipt) + "\" is not a valid receipt handle.");
            case ConflictException c when EXPIRED.contains(c.code()) ->
                    SqsException.invalidParameter("ReceiptHandle", receipt, "The receipt handle has expired.");
            case ConflictException c -> new SqsException(400, "MessageNotInflight", "AWS.SimpleQueueService.MessageNotInflight", true,
                    "Value " + SqsException.echo(receipt) + " for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.");
            default -> translate(e);
        };
    }

    /** Any failure as the SQS error a client is told. */
    static SqsException of(RuntimeException failure) {
        return switch (failure) {
            case SqsException s -> s;
            case ShoalException s -> translate(s);
            case UnsupportedOperationException u -> new SqsException(400, "UnsupportedOperation", "AWS.SimpleQueueService.UnsupportedOperation", true,
                    "not available yet: " + u.getMessage());
            default -> {
                LOG.error("unexpected failure in the SQS face", failure);
                yield new SqsException(500, "InternalFailure", "InternalFailure", false,
                        "internal error (" + failure.getClass().getSimpleName() + "); it was logged");
            }
        };
    }

    /** The JSON protocol's error response. */
    static HttpResponse toResponse(RuntimeException failure) {
        SqsException e = of(failure);
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("__type", "com.amazonaws.sqs#" + e.shape());
        body.put("message", e.getMessage());
        return new HttpResponse(e.status(), Map.of(
                "content-type", CONTENT_TYPE,
                "x-amzn-query-error", e.queryCode() + ";" + (e.senderFault() ? "Sender" : "Receiver")),
                Json.write(body));
    }
}
