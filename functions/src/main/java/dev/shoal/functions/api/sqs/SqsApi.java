package dev.shoal.functions.api.sqs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shoal.functions.api.ApiException;
import dev.shoal.functions.api.HttpRequest;
import dev.shoal.functions.api.HttpResponse;
import dev.shoal.functions.api.Json;
import dev.shoal.functions.api.auth.SigV4Verifier;
import dev.shoal.storage.api.QueueService;
import dev.shoal.storage.api.Utf8Text;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The SQS-compatible face, authenticated with SigV4, on each queue's default subscription, in
 * both of SQS's protocols: AWS JSON 1.0 ({@code POST /}, {@code X-Amz-Target: AmazonSQS.<Action>})
 * and the query protocol (form-encoded {@code Action=<Action>&...}, on {@code /} or a queue URL,
 * XML answers), which older SDKs speak. Both parse to the same request object and run the same
 * actions. Every answer carries an {@code x-amzn-RequestId}.
 */
public final class SqsApi {

    public static final String TARGET_PREFIX = "AmazonSQS.";
    private static final String FORM = "application/x-www-form-urlencoded";

    private final SqsQueueActions queues;
    private final SqsMessageActions messages;
    private final SqsQueueExtras extras;
    private final SqsMoveTasks moveTasks;
    private final SigV4Verifier verifier;
    private final String accountId;

    /** @param clock for SQS's time rules (one purge a minute) */
    public SqsApi(QueueService service, SigV4Verifier verifier, String accountId, Clock clock) {
        this.queues = new SqsQueueActions(service, clock);
        this.messages = new SqsMessageActions(service);
        this.extras = new SqsQueueExtras(service);
        this.moveTasks = new SqsMoveTasks(service, clock);
        this.verifier = verifier;
        this.accountId = accountId;
    }

    /** True for a request in either SQS protocol (never one for the native API under /v1 or /health). */
    public static boolean accepts(HttpRequest r) {
        if (r.method().equals("POST") && r.header("x-amz-target").map(t -> t.startsWith(TARGET_PREFIX)).orElse(false)) {
            return true;
        }
        return isQuery(r);
    }

    private static boolean isQuery(HttpRequest r) {
        if (r.path().equals("/v1") || r.path().startsWith("/v1/") || r.path().equals("/health")) {
            return false;
        }
        boolean form = r.method().equals("POST") && r.header("content-type").map(t -> t.toLowerCase(Locale.ROOT).startsWith(FORM)).orElse(false);
        boolean get = r.method().equals("GET") && r.queryParameters().containsKey("Action");
        return form || get;
    }

    /**
     * @param endpoint the base URL clients reach the API at (queue URLs start with it)
     * @param scheme   "https" or "http", for the signature check
     */
    public HttpResponse handle(HttpRequest r, String endpoint, String scheme) {
        String requestId = UUID.randomUUID().toString();
        boolean query = !r.header("x-amz-target").map(t -> t.startsWith(TARGET_PREFIX)).orElse(false);
        String action = query ? "Unknown" : r.header("x-amz-target").orElseThrow().substring(TARGET_PREFIX.length());
        try {
            SigV4Verifier.Verified caller;
            try {
                caller = verifier.verify(r, scheme);
            } catch (SigV4Verifier.RejectedException e) {
                SigV4Verifier.Failure f = e.failure();
                throw new SqsException(f.status(), f.code(), f.code(), true, f.message());
            }
            if (Utf8Text.decode(r.body()).isEmpty()) {
                throw SqsException.sender("SerializationException", "The request body is not valid UTF-8; SQS requests are UTF-8 "
                        + (query ? "form data" : "JSON") + " (send binary data base64-encoded, in a Binary message attribute).");
            }
            ObjectNode body;
            if (query) {
                Map<String, String> params = queryParameters(r);
                action = params.get("Action");
                if (action == null || action.isEmpty()) {
                    action = "Unknown";
                    throw SqsException.missingParameter("Action");
                }
                body = SqsQueryRequests.toJson(action, params);
                if (!body.has("QueueUrl") && QUEUE_PATH.matcher(r.path()).matches()) {
                    body.put("QueueUrl", endpoint + r.path()); // the query protocol may address the queue by its URL
                }
            } else {
                body = jsonBody(r);
            }
            ObjectNode out = dispatch(action, new SqsRequest(body, caller.accessKeyId(), r.header("x-amzn-trace-id").orElse(null)), new QueueUrls(endpoint, accountId, caller.region()));
            return query
                    ? new HttpResponse(200, Map.of("content-type", SqsXml.CONTENT_TYPE, "x-amzn-requestid", requestId), SqsXml.result(action, out, requestId))
                    : new HttpResponse(200, Map.of("content-type", SqsErrors.CONTENT_TYPE, "x-amzn-requestid", requestId), Json.write(out));
        } catch (RuntimeException failure) {
            RuntimeException e = failure instanceof ApiException a ? SqsException.sender("SerializationException", a.getMessage()) : failure;
            if (query) {
                SqsException sqs = SqsErrors.of(e);
                return new HttpResponse(sqs.status(), Map.of("content-type", SqsXml.CONTENT_TYPE, "x-amzn-requestid", requestId),
                        SqsXml.error(sqs, requestId));
            }
            return SqsErrors.toResponse(e).withHeader("x-amzn-requestid", requestId);
        }
    }

    private static final Pattern QUEUE_PATH = Pattern.compile("/[^/]+/[^/]+/?");

    private static ObjectNode jsonBody(HttpRequest r) {
        String contentType = r.header("content-type").orElse("");
        if (!contentType.startsWith("application/x-amz-json-1.0")) {
            throw SqsException.invalidParameterMessage("Content-Type must be application/x-amz-json-1.0 for the SQS JSON protocol, was '"
                    + SqsException.echo(contentType) + "' (or send form-encoded Action=... for the query protocol).");
        }
        JsonNode body = r.body().length == 0 ? null : Json.tree(r.body());
        if (body != null && !body.isObject()) {
            throw SqsException.sender("SerializationException", "the request body must be a JSON object");
        }
        return body == null ? JsonNodeFactory.instance.objectNode() : (ObjectNode) body;
    }

    /** The query protocol's parameters: the URL's, then the form body's. */
    private static Map<String, String> queryParameters(HttpRequest r) {
        Map<String, String> params = new LinkedHashMap<>(r.queryParameters());
        if (r.body().length > 0) {
            params.putAll(new HttpRequest("GET", "/", r.bodyAsString(), Map.of(), null).queryParameters());
        }
        return params;
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
            case "ReceiveMessage" -> messages.receiveMessage(r, urls);
            case "DeleteMessage" -> messages.deleteMessage(r);
            case "DeleteMessageBatch" -> messages.deleteMessageBatch(r);
            case "ChangeMessageVisibility" -> messages.changeMessageVisibility(r);
            case "ChangeMessageVisibilityBatch" -> messages.changeMessageVisibilityBatch(r);
            case "TagQueue" -> extras.tagQueue(r);
            case "UntagQueue" -> extras.untagQueue(r);
            case "ListQueueTags" -> extras.listQueueTags(r);
            case "AddPermission" -> extras.addPermission(r, urls);
            case "RemovePermission" -> extras.removePermission(r, urls);
            case "ListDeadLetterSourceQueues" -> extras.listDeadLetterSourceQueues(r, urls);
            case "StartMessageMoveTask" -> moveTasks.start(r, urls);
            case "ListMessageMoveTasks" -> moveTasks.list(r);
            case "CancelMessageMoveTask" -> moveTasks.cancel(r);
            default -> throw new SqsException(400, "InvalidAction", "InvalidAction", true,
                    "The action " + SqsException.echo(action) + " is not valid for this endpoint.");
        };
    }
}
