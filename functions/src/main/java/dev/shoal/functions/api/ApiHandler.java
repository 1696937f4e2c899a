package dev.shoal.functions.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.shoal.functions.runtime.LambdaEnvironment;

import java.util.function.Supplier;

/**
 * The API function: an API Gateway HTTP API (payload 2.0) event in, a response out. Thin on
 * purpose: translate, route, translate back. Lambda calls the no-argument constructor once per
 * container (during init, before a SnapStart snapshot), which builds the clients and the engine
 * from the environment; the local launcher passes its own {@link ApiRouter}.
 */
public final class ApiHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private final Supplier<ApiRouter> router;

    public ApiHandler() {
        this(FromEnvironment.ROUTER);
    }

    public ApiHandler(ApiRouter router) {
        this(() -> router);
    }

    /** @param router the router of the moment (Lambda's is rebuilt when the secrets rotate) */
    public ApiHandler(Supplier<ApiRouter> router) {
        this.router = router;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        HttpRequest request;
        try {
            request = ApiEvents.toRequest(event);
        } catch (IllegalArgumentException badBase64) {
            return ApiEvents.toEvent(HttpResponse.json(400, "{\"code\":\"MalformedRequest\",\"message\":\"the body is marked base64 but is not\"}"));
        }
        return ApiEvents.toEvent(router.get().handle(request));
    }

    /** Built on first use of the no-argument constructor only, so tests and the launcher never read the Lambda environment. */
    private static final class FromEnvironment {
        static final Supplier<ApiRouter> ROUTER = LambdaEnvironment.fromSystem().apiRouter();
    }
}
