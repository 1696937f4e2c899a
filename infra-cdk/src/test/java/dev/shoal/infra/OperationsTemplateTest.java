package dev.shoal.infra;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.shoal.infra.TemplateJson.list;
import static dev.shoal.infra.TemplateJson.map;
import static dev.shoal.infra.TemplateJson.properties;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What protects a deployment in operation: throttling, access logs, alarms that reach someone, data protection. */
class OperationsTemplateTest {

    private final TemplateJson json = Synthesized.defaults().json();

    private TemplateJson hardened() {
        return Synthesized.variant("hardened", b -> b.apiThrottle(50, 80).apiConcurrency(20).dispatcherConcurrency(4)
                .janitorConcurrency(1).bucketVersioning(true).customerKey(true).tracing(true)).json();
    }

    private Map<String, Object> stage(TemplateJson template) {
        return properties(template.resources("AWS::ApiGatewayV2::Stage").values().iterator().next());
    }

    @Test
    void theStageThrottlesEveryRouteByDefault() {
        Map<String, Object> route = map(stage(json).get("DefaultRouteSettings"));
        assertEquals(100, ((Number) route.get("ThrottlingRateLimit")).intValue());
        assertEquals(200, ((Number) route.get("ThrottlingBurstLimit")).intValue());

        Map<String, Object> given = map(stage(hardened()).get("DefaultRouteSettings"));
        assertEquals(50, ((Number) given.get("ThrottlingRateLimit")).intValue());
        assertEquals(80, ((Number) given.get("ThrottlingBurstLimit")).intValue());
    }

    @Test
    void theStageWritesJsonAccessLogsToItsOwnLogGroup() {
        Map<String, Object> logs = map(stage(json).get("AccessLogSettings"));
        String group = (String) list(map(logs.get("DestinationArn")).get("Fn::GetAtt")).getFirst();
        assertEquals("AWS::Logs::LogGroup", json.resource(group).get("Type"));
        String format = (String) logs.get("Format");
        for (String field : List.of("$context.requestId", "$context.identity.sourceIp", "$context.status", "$context.routeKey")) {
            assertTrue(format.contains(field), format);
        }
    }

    @Test
    void functionsReserveNoConcurrencyUnlessAsked() {
        json.resources("AWS::Lambda::Function").values().forEach(f ->
                assertFalse(properties(f).containsKey("ReservedConcurrentExecutions"), f.toString()));

        TemplateJson h = hardened();
        assertEquals(20, reserved(h, "shoal-api"));
        assertEquals(4, reserved(h, "shoal-dispatcher"));
        assertEquals(1, reserved(h, "shoal-janitor"));
    }

    @Test
    void aReservationBelowOneIsRefusedWithTheSetting() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ShoalDeploymentProps.builder(Synthesized.JAR).apiConcurrency(0).build());
        assertEquals("apiConcurrency must be >= 1 (or unset for no reservation), was 0", e.getMessage());
    }

    @Test
    void janitorHeartbeatTreatsMissingDataAsTheJanitorBeingDown() {
        Map<String, Object> alarm = json.propertiesWhere("AWS::CloudWatch::Alarm", "AlarmName", "shoal-janitor-heartbeat");
        assertEquals("breaching", alarm.get("TreatMissingData"));
        assertEquals("Invocations", alarm.get("MetricName"));
        assertEquals("LessThanThreshold", alarm.get("ComparisonOperator"));
        assertEquals(300, ((Number) alarm.get("Period")).intValue());
    }

    @Test
    void theStreamsFailureQueueItsLagAndApiServerErrorsAlarm() {
        Map<String, Object> failures = json.propertiesWhere("AWS::CloudWatch::Alarm", "AlarmName", "shoal-stream-failures");
        assertEquals("AWS/SQS", failures.get("Namespace"));
        assertEquals("ApproximateNumberOfMessagesVisible", failures.get("MetricName"));
        assertEquals("GreaterThanThreshold", failures.get("ComparisonOperator"));

        Map<String, Object> lag = json.propertiesWhere("AWS::CloudWatch::Alarm", "AlarmName", "shoal-stream-iterator-age");
        assertEquals("IteratorAge", lag.get("MetricName"));
        assertEquals(300_000, ((Number) lag.get("Threshold")).intValue());

        Map<String, Object> errors = json.propertiesWhere("AWS::CloudWatch::Alarm", "AlarmName", "shoal-api-5xx");
        assertEquals("AWS/ApiGateway", errors.get("Namespace"));
        assertEquals("5xx", errors.get("MetricName"));
    }

    @Test
    void tablesAreProtectedFromDeletionUnlessTheStackIsMeantToBeDestroyed() {
        json.resources("AWS::DynamoDB::Table").values().forEach(t ->
                assertEquals(true, properties(t).get("DeletionProtectionEnabled"), t.toString()));
        Synthesized.variant("destroy", b -> b.removalPolicy(software.amazon.awscdk.RemovalPolicy.DESTROY)).json()
                .resources("AWS::DynamoDB::Table").values().forEach(t ->
                        assertEquals(false, properties(t).get("DeletionProtectionEnabled"), t.toString()));
    }

    @Test
    void versioningKmsAndTracingAreOffByDefaultAndOnWhenAsked() {
        assertTrue(json.resources("AWS::KMS::Key").isEmpty());
        Map<String, Object> bucket = properties(json.resources("AWS::S3::Bucket").values().iterator().next());
        assertFalse(bucket.containsKey("VersioningConfiguration") && "Enabled".equals(map(bucket.get("VersioningConfiguration")).get("Status")));
        json.resources("AWS::Lambda::Function").values().forEach(f ->
                assertFalse(properties(f).containsKey("TracingConfig") && "Active".equals(map(properties(f).get("TracingConfig")).get("Mode"))));

        TemplateJson h = hardened();
        String key = h.resources("AWS::KMS::Key").keySet().iterator().next();
        assertEquals(true, properties(h.resource(key)).get("EnableKeyRotation"));
        Map<String, Object> hb = properties(h.resources("AWS::S3::Bucket").values().iterator().next());
        assertEquals("Enabled", map(hb.get("VersioningConfiguration")).get("Status"));
        assertTrue(hb.get("BucketEncryption").toString().contains(key), hb.toString());
        h.resources("AWS::DynamoDB::Table").values().forEach(t ->
                assertTrue(properties(t).get("SSESpecification").toString().contains(key), t.toString()));
        h.resources("AWS::SecretsManager::Secret").values().forEach(s ->
                assertTrue(properties(s).get("KmsKeyId").toString().contains(key), s.toString()));
        h.resources("AWS::Lambda::Function").values().forEach(f ->
                assertEquals("Active", map(properties(f).get("TracingConfig")).get("Mode")));
        for (String fn : List.of("shoal-api", "shoal-dispatcher", "shoal-janitor")) {
            String role = h.roleOfFunction(fn);
            assertTrue(h.statementsOfRole(role).stream().anyMatch(st -> st.get("Action").toString().contains("kms:Decrypt")
                    && st.get("Resource").toString().contains(key)), fn + " cannot use the key");
        }
    }

    private static int reserved(TemplateJson template, String function) {
        return ((Number) template.propertiesWhere("AWS::Lambda::Function", "FunctionName", function)
                .get("ReservedConcurrentExecutions")).intValue();
    }
}
