package dev.shoal.infra;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static dev.shoal.infra.TemplateJson.properties;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ApiTemplateTest {

    private final TemplateJson json = Synthesized.defaults().json();

    @Test
    void nativeRoutesNeedIamWhileTheSqsFaceAndHealthCheckHaveNoGatewayAuthorizer() {
        Map<String, Object> authorizationByRoute = new HashMap<>();
        json.resources("AWS::ApiGatewayV2::Route").values().forEach(route ->
                authorizationByRoute.put((String) properties(route).get("RouteKey"),
                        properties(route).get("AuthorizationType")));

        assertEquals(Map.of(
                "ANY /v1/{proxy+}", "AWS_IAM",
                "POST /", "NONE",
                "POST /{account}/{queue}", "NONE",
                "GET /health", "NONE"), authorizationByRoute);
    }

    @Test
    void everyRouteReachesTheApiAliasWithPayloadFormat2() {
        Map<String, Object> integration = properties(
                json.resources("AWS::ApiGatewayV2::Integration").values().iterator().next());
        String apiFunction = json.idWhere("AWS::Lambda::Function", "FunctionName", "shoal-api");
        String alias = json.idWhere("AWS::Lambda::Alias", "FunctionName", Map.of("Ref", apiFunction));

        assertEquals(1, json.resources("AWS::ApiGatewayV2::Integration").size(), "one integration for all routes");
        assertEquals("AWS_PROXY", integration.get("IntegrationType"));
        assertEquals("2.0", integration.get("PayloadFormatVersion"));
        assertEquals(Map.of("Ref", alias), integration.get("IntegrationUri"));
    }

    @Test
    void theApiIsAnHttpApiServedFromTheAutoDeployedDefaultStage() {
        Map<String, Object> api = properties(json.resources("AWS::ApiGatewayV2::Api").values().iterator().next());
        Map<String, Object> stage = properties(json.resources("AWS::ApiGatewayV2::Stage").values().iterator().next());

        assertEquals("HTTP", api.get("ProtocolType"));
        assertEquals("shoal-api", api.get("Name"));
        assertEquals("$default", stage.get("StageName"));
        assertEquals(true, stage.get("AutoDeploy"));
    }

    @Test
    void apiGatewayMayInvokeOnlyTheApiAlias() {
        String apiFunction = json.idWhere("AWS::Lambda::Function", "FunctionName", "shoal-api");
        String alias = json.idWhere("AWS::Lambda::Alias", "FunctionName", Map.of("Ref", apiFunction));
        json.resources("AWS::Lambda::Permission").values().forEach(permission -> {
            Map<String, Object> p = properties(permission);
            if ("apigateway.amazonaws.com".equals(p.get("Principal"))) {
                assertEquals(Map.of("Ref", alias), p.get("FunctionName"));
            }
        });
    }
}
