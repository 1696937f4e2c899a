package dev.shoal.functions.api;

import dev.shoal.functions.api.auth.SigV4Verifier;
import dev.shoal.functions.api.sqs.SqsApi;
import dev.shoal.functions.api.v1.NativeApi;
import dev.shoal.functions.api.v1.NativeErrors;
import dev.shoal.storage.api.QueueService;

/**
 * The whole HTTP API, whatever carries it: {@code GET /health}, the SQS face ({@code POST /}
 * with {@code X-Amz-Target: AmazonSQS.*}) and the native API under {@code /v1}. Thread-safe;
 * build one per process.
 */
public final class ApiRouter {

    private final NativeApi nativeApi;
    private final SqsApi sqsApi;
    private final ApiConfig config;

    public ApiRouter(QueueService service, ApiConfig config) {
        this.config = config;
        this.nativeApi = new NativeApi(service);
        this.sqsApi = new SqsApi(service, new SigV4Verifier(config.sqsKeys(), config.region(), config.anyRegion(), "sqs", config.clock()),
                config.accountId(), config.clock());
    }

    public HttpResponse handle(HttpRequest r) {
        if (r.body().length > ApiConfig.MAX_REQUEST_BYTES) {
            return payloadTooLarge(r, r.body().length);
        }
        if (SqsApi.accepts(r)) {
            String scheme = r.header("x-forwarded-proto").orElse("http");
            String endpoint = config.publicEndpoint() != null ? config.publicEndpoint()
                    : scheme + "://" + r.header("host").orElse("localhost");
            return sqsApi.handle(r, endpoint, scheme);
        }
        if (r.path().equals("/health")) {
            return r.method().equals("GET") || r.method().equals("HEAD")
                    ? HttpResponse.json(200, "{\"status\":\"ok\"}") : methodNotAllowed(r);
        }
        if (r.path().equals("/v1") || r.path().startsWith("/v1/")) {
            return nativeApi.handle(r);
        }
        return NativeErrors.toResponse(new ApiException(404, "RouteNotFound", null, "no route " + r.method() + " " + r.path()
                + (r.method().equals("POST") && r.path().equals("/")
                ? "; SQS requests need the header X-Amz-Target: AmazonSQS.<Action>" : "; the native API is under /v1 (see docs/api.md)")));
    }

    /**
     * The answer to a body over {@link ApiConfig#MAX_REQUEST_BYTES}, in the shape of the face the
     * request is for; the local server calls it with the headers alone, before reading such a body.
     */
    public static HttpResponse payloadTooLarge(HttpRequest r, long bytes) {
        String message = "the request body is " + bytes + " bytes; the HTTP API accepts at most " + ApiConfig.MAX_REQUEST_BYTES
                + " bytes (6 MiB, AWS Lambda's limit for synchronous calls). Split the batch, or send large messages with the "
                + "Java SDK's direct mode, which writes to S3 and DynamoDB itself and has no such limit (up to the queue's "
                + "maxMessageBytes, 64 MiB at most).";
        if (SqsApi.accepts(r)) {
            return SqsApi.error(413, "RequestEntityTooLarge", message);
        }
        return NativeErrors.toResponse(new ApiException(413, "PayloadTooLarge", null, message));
    }

    private static HttpResponse methodNotAllowed(HttpRequest r) {
        return NativeErrors.toResponse(new ApiException(405, "MethodNotAllowed", null, r.method() + " is not allowed on " + r.path()
                + "; allowed: GET")).withHeader("allow", "GET");
    }
}
