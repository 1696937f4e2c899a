package dev.shoal.infra;

import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.shoal.infra.TemplateJson.list;
import static dev.shoal.infra.TemplateJson.map;
import static dev.shoal.infra.TemplateJson.properties;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FunctionsTemplateTest {

    private static final Map<String, String> HANDLERS = Map.of(
            "shoal-api", ShoalDeployment.API_HANDLER,
            "shoal-dispatcher", ShoalDeployment.DISPATCHER_HANDLER,
            "shoal-janitor", ShoalDeployment.JANITOR_HANDLER);

    private final TemplateJson json = Synthesized.defaults().json();

    @Test
    void everyFunctionIsJava21OnArm64WithSnapStartOnPublishedVersions() {
        assertEquals(3, json.resources("AWS::Lambda::Function").size());
        HANDLERS.forEach((name, handler) -> {
            Map<String, Object> function = json.propertiesWhere("AWS::Lambda::Function", "FunctionName", name);
            assertEquals("java21", function.get("Runtime"), name);
            assertEquals(List.of("arm64"), function.get("Architectures"), name);
            assertEquals(Map.of("ApplyOn", "PublishedVersions"), function.get("SnapStart"), name);
            assertEquals(handler, function.get("Handler"), name);
        });
    }

    @Test
    void defaultSizesAndTimeoutsFitTheirJobs() {
        assertSize(json, "shoal-api", 1024, 29);
        assertSize(json, "shoal-dispatcher", 1024, 300);
        assertSize(json, "shoal-janitor", 512, 60);
    }

    @Test
    void sizesAndTimeoutsComeFromTheProps() {
        TemplateJson sized = Synthesized.variant("sized", b -> b
                .api(FunctionSettings.of(2048, 20))
                .dispatcher(FunctionSettings.of(1536, 600))
                .janitor(FunctionSettings.of(256, 120))).json();

        assertSize(sized, "shoal-api", 2048, 20);
        assertSize(sized, "shoal-dispatcher", 1536, 600);
        assertSize(sized, "shoal-janitor", 256, 120);
    }

    @Test
    void functionsGetThePrefixBucketAndSecretsAsEnvironment() {
        for (String name : HANDLERS.keySet()) {
            Map<String, Object> variables = environment(name);
            Set<String> expected = name.equals("shoal-api")
                    ? Set.of("SHOAL_TABLE_PREFIX", "SHOAL_BUCKET", "SHOAL_RECEIPT_SECRET_ARN",
                            "SHOAL_SQS_CREDENTIALS_SECRET_ARN")
                    : Set.of("SHOAL_TABLE_PREFIX", "SHOAL_BUCKET", "SHOAL_RECEIPT_SECRET_ARN");
            assertEquals(expected, variables.keySet(), name);
            assertEquals("shoal", variables.get("SHOAL_TABLE_PREFIX"));
            assertEquals(Map.of("Ref", json.resources("AWS::S3::Bucket").keySet().iterator().next()),
                    variables.get("SHOAL_BUCKET"));
            assertEquals(Map.of("Ref", secretId("ReceiptKey")), variables.get("SHOAL_RECEIPT_SECRET_ARN"));
        }
        assertEquals(Map.of("Ref", secretId("SqsCredentials")),
                environment("shoal-api").get("SHOAL_SQS_CREDENTIALS_SECRET_ARN"));
    }

    @Test
    void eachFunctionHasALiveAliasOnItsCurrentVersion() {
        for (String name : HANDLERS.keySet()) {
            String functionId = json.idWhere("AWS::Lambda::Function", "FunctionName", name);
            Map<String, Object> alias = json.propertiesWhere("AWS::Lambda::Alias", "FunctionName",
                    Map.of("Ref", functionId));
            assertEquals("live", alias.get("Name"));
            String versionId = (String) list(map(alias.get("FunctionVersion")).get("Fn::GetAtt")).getFirst();
            assertEquals("AWS::Lambda::Version", json.resource(versionId).get("Type"));
        }
    }

    @Test
    void logTableStreamTriggersTheDispatcherAliasAndReportsFailures() {
        Map<String, Object> mapping = properties(single(json.resources("AWS::Lambda::EventSourceMapping")));

        assertEquals(Map.of("Fn::GetAtt", List.of(tableId("shoal-log"), "StreamArn")), mapping.get("EventSourceArn"));
        assertTrue(mapping.get("FunctionName").toString().contains(aliasId("shoal-dispatcher")),
                "invokes the dispatcher's alias: " + mapping.get("FunctionName"));
        assertTrue(mapping.get("FunctionName").toString().contains(":live"));
        assertEquals("TRIM_HORIZON", mapping.get("StartingPosition"));
        assertEquals(100, ((Number) mapping.get("BatchSize")).intValue());
        assertEquals(1, ((Number) mapping.get("MaximumBatchingWindowInSeconds")).intValue());
        assertEquals(2, ((Number) mapping.get("MaximumRetryAttempts")).intValue());
        assertEquals(true, mapping.get("BisectBatchOnFunctionError"));
        assertEquals(List.of("ReportBatchItemFailures"), mapping.get("FunctionResponseTypes"));
        String queueId = single(json.resources("AWS::SQS::Queue").keySet());
        assertEquals(Map.of("OnFailure", Map.of("Destination", Map.of("Fn::GetAtt", List.of(queueId, "Arn")))),
                mapping.get("DestinationConfig"));
    }

    @Test
    void schedulesRunTheJanitorAndDispatcherAliasesEveryMinute() {
        assertEquals(Set.of(Map.of("Ref", aliasId("shoal-janitor")), Map.of("Ref", aliasId("shoal-dispatcher"))),
                scheduledTargets(json, "rate(1 minute)"));
    }

    @Test
    void scheduleRatesComeFromTheProps() {
        TemplateJson slow = Synthesized.variant("slow-schedules", b -> b
                .janitorRate(Duration.ofMinutes(5)).dispatcherRate(Duration.ofMinutes(2))).json();

        assertEquals(1, scheduledTargets(slow, "rate(5 minutes)").size());
        assertEquals(1, scheduledTargets(slow, "rate(2 minutes)").size());
    }

    @Test
    void synthesisLeavesNoWarnings() {
        // The SnapStart warning is acknowledged because every trigger invokes the published alias.
        Annotations.fromStack(Synthesized.defaults().stack()).hasNoWarning("*", Match.anyValue());
        Annotations.fromStack(Synthesized.defaults().stack()).hasNoError("*", Match.anyValue());
    }

    private static Set<Object> scheduledTargets(TemplateJson json, String expression) {
        Set<Object> targets = new java.util.HashSet<>();
        json.resources("AWS::Events::Rule").values().forEach(rule -> {
            if (expression.equals(properties(rule).get("ScheduleExpression"))) {
                list(properties(rule).get("Targets")).forEach(t -> targets.add(map(t).get("Arn")));
            }
        });
        return targets;
    }

    private static void assertSize(TemplateJson json, String name, int memoryMb, int timeoutSeconds) {
        Map<String, Object> function = json.propertiesWhere("AWS::Lambda::Function", "FunctionName", name);
        assertEquals(memoryMb, ((Number) function.get("MemorySize")).intValue(), name);
        assertEquals(timeoutSeconds, ((Number) function.get("Timeout")).intValue(), name);
    }

    private Map<String, Object> environment(String name) {
        Map<String, Object> function = json.propertiesWhere("AWS::Lambda::Function", "FunctionName", name);
        return map(map(function.get("Environment")).get("Variables"));
    }

    private String aliasId(String functionName) {
        String functionId = json.idWhere("AWS::Lambda::Function", "FunctionName", functionName);
        return json.idWhere("AWS::Lambda::Alias", "FunctionName", Map.of("Ref", functionId));
    }

    private String tableId(String tableName) {
        return json.idWhere("AWS::DynamoDB::Table", "TableName", tableName);
    }

    private String secretId(String constructId) {
        return json.resources("AWS::SecretsManager::Secret").keySet().stream()
                .filter(id -> id.contains(constructId)).reduce((a, b) -> {
                    throw new AssertionError("two secrets named like " + constructId);
                }).orElseThrow();
    }

    private static <T> T single(Map<String, T> map) {
        assertEquals(1, map.size(), map.keySet().toString());
        return map.values().iterator().next();
    }

    private static <T> T single(Set<T> set) {
        assertEquals(1, set.size(), set.toString());
        return set.iterator().next();
    }
}
