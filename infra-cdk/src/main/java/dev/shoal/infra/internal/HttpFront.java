package dev.shoal.infra.internal;

import software.amazon.awscdk.aws_apigatewayv2_authorizers.HttpIamAuthorizer;
import software.amazon.awscdk.aws_apigatewayv2_integrations.HttpLambdaIntegration;
import software.amazon.awscdk.services.apigatewayv2.AddRoutesOptions;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.apigatewayv2.HttpMethod;
import software.amazon.awscdk.services.apigatewayv2.HttpNoneAuthorizer;
import software.amazon.awscdk.services.apigatewayv2.IHttpRouteAuthorizer;
import software.amazon.awscdk.services.apigatewayv2.PayloadFormatVersion;
import dev.shoal.infra.OperationsSettings;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.apigatewayv2.CfnStage;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

import java.util.List;

/**
 * The HTTP API (API Gateway v2) in front of the API function, with one route per face:
 * <ul>
 *   <li>{@code ANY /v1/{proxy+}}: the native JSON API, IAM-authorized (callers sign for
 *       {@code execute-api}; the client SDK does);</li>
 *   <li>{@code POST /}: the SQS JSON protocol, with no gateway authorizer, because API Gateway's
 *       IAM authorization only accepts signatures scoped to {@code execute-api} and SQS clients
 *       sign for {@code sqs}: the function checks that signature against the SQS credentials
 *       secret;</li>
 *   <li>{@code GET /health}: open, for load checks and smoke tests.</li>
 * </ul>
 * Any other path gets API Gateway's 404 without invoking the function. The stage throttles
 * every route (the open ones too) and writes one JSON access-log line per request.
 * (HTTP APIs have no X-Ray tracing; the functions' own tracing covers the calls behind them.)
 */
public final class HttpFront extends Construct {

    private final HttpApi httpApi;

    /** One JSON line per request: who, what, the answer, and how long the function took. */
    static final String ACCESS_LOG_FORMAT = "{\"requestId\":\"$context.requestId\",\"ip\":\"$context.identity.sourceIp\","
            + "\"time\":\"$context.requestTime\",\"method\":\"$context.httpMethod\",\"path\":\"$context.path\","
            + "\"route\":\"$context.routeKey\",\"status\":\"$context.status\",\"bytes\":\"$context.responseLength\","
            + "\"latencyMs\":\"$context.responseLatency\",\"integrationStatus\":\"$context.integrationStatus\","
            + "\"integrationError\":\"$context.integrationErrorMessage\",\"caller\":\"$context.identity.caller\"}";

    private final LogGroup accessLogs;

    public HttpFront(Construct scope, String id, String apiName, ShoalFunction api, OperationsSettings ops,
            RetentionDays logRetention, RemovalPolicy removal) {
        super(scope, id);
        this.httpApi = HttpApi.Builder.create(this, "HttpApi")
                .apiName(apiName)
                .description("Shoal: native JSON API under /v1 (IAM), SQS JSON and query protocols at POST / and POST /{account}/{queue}")
                .createDefaultStage(true)
                .build();
        HttpLambdaIntegration integration = HttpLambdaIntegration.Builder.create("Api", api.live())
                .payloadFormatVersion(PayloadFormatVersion.VERSION_2_0)
                .build();
        route("/v1/{proxy+}", HttpMethod.ANY, integration, new HttpIamAuthorizer());
        route("/", HttpMethod.POST, integration, new HttpNoneAuthorizer());
        // The query protocol's clients (older SDKs) post to their queue URL; the function checks SigV4.
        route("/{account}/{queue}", HttpMethod.POST, integration, new HttpNoneAuthorizer());
        route("/health", HttpMethod.GET, integration, new HttpNoneAuthorizer());

        this.accessLogs = LogGroup.Builder.create(this, "AccessLogs").retention(logRetention).removalPolicy(removal).build();
        // The L2 default stage has no throttle or access-log options: set them on its CloudFormation resource.
        CfnStage stage = (CfnStage) httpApi.getDefaultStage().getNode().getDefaultChild();
        stage.setDefaultRouteSettings(CfnStage.RouteSettingsProperty.builder()
                .throttlingRateLimit(ops.throttleRate())
                .throttlingBurstLimit(ops.throttleBurst())
                .build());
        stage.setAccessLogSettings(CfnStage.AccessLogSettingsProperty.builder()
                .destinationArn(accessLogs.getLogGroupArn())
                .format(ACCESS_LOG_FORMAT)
                .build());
    }

    public LogGroup accessLogs() {
        return accessLogs;
    }

    public HttpApi httpApi() {
        return httpApi;
    }

    private void route(String path, HttpMethod method, HttpLambdaIntegration integration,
            IHttpRouteAuthorizer authorizer) {
        httpApi.addRoutes(AddRoutesOptions.builder()
                .path(path)
                .methods(List.of(method))
                .integration(integration)
                .authorizer(authorizer)
                .build());
    }
}
