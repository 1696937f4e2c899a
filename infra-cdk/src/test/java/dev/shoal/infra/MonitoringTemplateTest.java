package dev.shoal.infra;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static dev.shoal.infra.TemplateJson.properties;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MonitoringTemplateTest {

    private final TemplateJson json = Synthesized.defaults().json();

    @Test
    void thereIsAnAlarmForDeadLettersOldMessagesEachFunctionTheJanitorsHeartbeatTheStreamAndApiErrors() {
        Set<String> names = new TreeSet<>();
        json.resources("AWS::CloudWatch::Alarm").values().forEach(a -> names.add((String) properties(a).get("AlarmName")));

        assertEquals(new TreeSet<>(List.of(
                "shoal-dead-letters", "shoal-oldest-message-age",
                "shoal-api-errors", "shoal-api-throttles",
                "shoal-dispatcher-errors", "shoal-dispatcher-throttles",
                "shoal-janitor-errors", "shoal-janitor-throttles",
                "shoal-janitor-heartbeat", "shoal-stream-failures", "shoal-stream-iterator-age", "shoal-api-5xx")), names);
    }

    @Test
    void deadLetterAlarmFiresOnTheFirstVisibleDeadLetterOfThisDeployment() {
        Map<String, Object> alarm = json.propertiesWhere("AWS::CloudWatch::Alarm", "AlarmName", "shoal-dead-letters");

        assertEquals(ShoalMetrics.NAMESPACE, alarm.get("Namespace"));
        assertEquals(ShoalMetrics.DEAD_LETTERS, alarm.get("MetricName"));
        assertEquals(List.of(Map.of("Name", ShoalMetrics.DEPLOYMENT, "Value", "shoal")), alarm.get("Dimensions"));
        assertEquals("Maximum", alarm.get("Statistic"));
        assertEquals("GreaterThanThreshold", alarm.get("ComparisonOperator"));
        assertEquals(0, ((Number) alarm.get("Threshold")).intValue());
        assertEquals("notBreaching", alarm.get("TreatMissingData"));
    }

    @Test
    void oldestMessageAgeAlarmUsesTheConfiguredAge() {
        Map<String, Object> alarm = json.propertiesWhere("AWS::CloudWatch::Alarm", "AlarmName", "shoal-oldest-message-age");

        assertEquals(ShoalMetrics.OLDEST_AGE, alarm.get("MetricName"));
        assertEquals("Maximum", alarm.get("Statistic"));
        assertEquals(3600, ((Number) alarm.get("Threshold")).intValue());
        assertEquals("GreaterThanOrEqualToThreshold", alarm.get("ComparisonOperator"));
    }

    @Test
    void functionAlarmsWatchAwsLambdaMetricsOfTheirFunction() {
        Map<String, Object> alarm = json.propertiesWhere("AWS::CloudWatch::Alarm", "AlarmName", "shoal-janitor-errors");
        String janitor = json.idWhere("AWS::Lambda::Function", "FunctionName", "shoal-janitor");

        assertEquals("AWS/Lambda", alarm.get("Namespace"));
        assertEquals("Errors", alarm.get("MetricName"));
        assertEquals(List.of(Map.of("Name", "FunctionName", "Value", Map.of("Ref", janitor))), alarm.get("Dimensions"));
    }

    @Test
    void withoutAGivenTopicEveryAlarmNotifiesATopicTheStackCreates() {
        String created = json.resources("AWS::SNS::Topic").keySet().iterator().next();
        assertEquals(1, json.resources("AWS::SNS::Topic").size());
        json.resources("AWS::CloudWatch::Alarm").values().forEach(a -> {
            assertEquals(List.of(Map.of("Ref", created)), properties(a).get("AlarmActions"));
            assertEquals(List.of(Map.of("Ref", created)), properties(a).get("OKActions"));
        });
        assertEquals(Map.of("Ref", created), json.outputs().get("AlarmTopicArn") instanceof Map<?, ?> o ? o.get("Value") : null);
    }

    @Test
    void aGivenTopicIsNotifiedAndNoneIsCreated() {
        assertTrue(Synthesized.notified().json().resources("AWS::SNS::Topic").isEmpty());

        String topic = "arn:aws:sns:eu-west-1:123456789012:ops";
        TemplateJson notified = Synthesized.notified().json();
        notified.resources("AWS::CloudWatch::Alarm").values().forEach(a -> {
            assertEquals(List.of(topic), properties(a).get("AlarmActions"));
            assertEquals(List.of(topic), properties(a).get("OKActions"));
        });
    }

    @Test
    void dashboardShowsQueuesByDeploymentAndTheAlarms() {
        Map<String, Object> dashboard = properties(json.resources("AWS::CloudWatch::Dashboard").values().iterator().next());
        String body = dashboard.get("DashboardBody").toString();

        assertEquals("shoal", dashboard.get("DashboardName"));
        assertTrue(body.contains("SEARCH('{Shoal,Deployment,Queue} MetricName=\\\"ApproximateVisible\\\""), body);
        assertTrue(body.contains("\"type\":\"alarm\""), body);
        assertTrue(body.contains("MetricName=\\\"ProducedPerMinute\\\"") && body.contains("MetricName=\\\"AckedPerMinute\\\""), body);
    }

    @Test
    void outputsNameTheApiBucketTablesAndCredentials() {
        Map<String, Object> outputs = json.outputs();

        assertTrue(outputs.keySet().containsAll(List.of("ApiUrl", "ApiId", "BucketName", "LogTableName",
                "StateTableName", "SqsCredentialsSecretArn", "DashboardName")), outputs.keySet().toString());
        String api = json.resources("AWS::ApiGatewayV2::Api").keySet().iterator().next();
        assertEquals(Map.of("Fn::GetAtt", List.of(api, "ApiEndpoint")), TemplateJson.map(outputs.get("ApiUrl")).get("Value"));
        assertEquals(Map.of("Ref", json.idWhere("AWS::DynamoDB::Table", "TableName", "shoal-log")),
                TemplateJson.map(outputs.get("LogTableName")).get("Value"));
    }
}
