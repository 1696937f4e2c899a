package dev.shoal.functions.api.sqs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shoal.functions.api.HttpRequest;
import dev.shoal.functions.api.HttpResponse;
import dev.shoal.functions.api.Json;
import dev.shoal.functions.api.auth.SigV4Verifier;
import dev.shoal.storage.QueueService;

import java.util.Map;

/**
 * The SQS-compatible face: the AWS JSON 1.0 protocol ({@code POST /},
 * {@code X-Amz-Target: AmazonSQS.<Action>}), authenticated with SigV4, on each queue's default
 * subscription. Actions Shoal does not implement answer {@code UnsupportedOperation}.
 */
public final class SqsApi {

    public static final String TARGET_PREFIX = "AmazonSQS.";

    private final SqsQueueActions queues;
    private final SqsMessageActions messages;
    private final SigV4Verifier verifier;
    private final String accountId;
    private final String region;

    public SqsApi(QueueService service, SigV4Verifier verifier, String accountId, String region) {
        this.queues = new SqsQueueActions(service);
        this.messages = new SqsMessageActions(service);
        this.verifier = verifier;
        this.accountId = accountId;
        this.region = region;
    }

    public static boolean accepts(HttpRequest r) {
        return r.method().equals("POST") && r.header("x-amz-target").map(t -> t.startsWith(TARGET_PREFIX)).orElse(false);
    }

    /**
     * @param endpoint the base URL clients reach the API at (queue URLs start with it)
     * @param scheme   "https" or "http", for the signature check
     */
    public HttpResponse handle(HttpRequest r, String endpoint, String scheme) {
        try {
            SigV4Verifier.Verified caller;
            try {
                caller = verifier.verify(r, scheme);
            } catch (SigV4Verifier.RejectedException e) {
                SigV4Verifier.Failure f = e.failure();
                throw new SqsException(f.status(), f.code(), f.code(), true, f.message());
            }
            String contentType = r.header("content-type").orElse("");
            if (!contentType.startsWith("application/x-amz-json-1.0")) {
                throw SqsException.sender("InvalidParameterValue", "Content-Type must be application/x-amz-json-1.0 for the SQS JSON protocol, was '"
                        + contentType + "'. (The SQS query protocol, form-encoded Action=..., is not supported: use an SDK or CLI from 2023 or later.)");
            }
            String action = r.header("x-amz-target").orElseThrow().substring(TARGET_PREFIX.length());
            if (dev.shoal.storage.Utf8Text.decode(r.body()).isEmpty()) {
                throw SqsException.sender("SerializationException", "The request body is not valid UTF-8; "
                        + "SQS requests are UTF-8 JSON (send binary data base64-encoded, in a Binary message attribute or in the body).");
            }
            JsonNode body = r.body().length == 0 ? null : Json.tree(r.body());
            if (body != null && !body.isObject()) {
                throw SqsException.sender("SerializationException", "the request body must be a JSON object");
            }
            ObjectNode out = dispatch(action, new SqsRequest(body, caller.accessKeyId()), new QueueUrls(endpoint, accountId, caller.region()));
            return new HttpResponse(200, Map.of("content-type", SqsErrors.CONTENT_TYPE), Json.write(out));
        } catch (dev.shoal.functions.api.ApiException e) {
            return SqsErrors.toResponse(SqsException.sender("SerializationException", e.getMessage()));
        } catch (RuntimeException e) {
            return SqsErrors.toResponse(e);
        }
    }

    /** An SQS-shaped error for failures found before the SQS face runs (a body over the payload limit). */
    public static HttpResponse error(int status, String code, String message) {
        return SqsErrors.toResponse(new SqsException(status, code, code, true, message));
    }

    private ObjectNode dispatch(String action, SqsRequest r, QueueUrls urls) {
        return switch (action) {
            case "CreateQueue" -> queues.createQueue(r, urls);
            case "GetQueueUrl" -> queues.getQueueUrl(r, urls);
            case "ListQueues" -> queues.listQueues(r, urls);
            case "DeleteQueue" -> queues.deleteQueue(r);
            case "GetQueueAttributes" -> queues.getQueueAttributes(r, urls);
            case "SetQueueAttributes" -> queues.setQueueAttributes(r);
            case "PurgeQueue" -> queues.purgeQueue(r);
            case "SendMessage" -> messages.sendMessage(r);
            case "SendMessageBatch" -> messages.sendMessageBatch(r);
            case "ReceiveMessage" -> messages.receiveMessage(r);
            case "DeleteMessage" -> messages.deleteMessage(r);
            case "DeleteMessageBatch" -> messages.deleteMessageBatch(r);
            case "ChangeMessageVisibility" -> messages.changeMessageVisibility(r);
            case "ChangeMessageVisibilityBatch" -> messages.changeMessageVisibilityBatch(r);
            default -> throw new SqsException(400, "UnsupportedOperation", "AWS.SimpleQueueService.UnsupportedOperation", true,
                    "Shoal does not implement " + action + ". Supported: CreateQueue, GetQueueUrl, ListQueues, DeleteQueue, "
                            + "GetQueueAttributes, SetQueueAttributes, PurgeQueue, SendMessage(Batch), ReceiveMessage, "
                            + "DeleteMessage(Batch), ChangeMessageVisibility(Batch).");
        };
    }
}
