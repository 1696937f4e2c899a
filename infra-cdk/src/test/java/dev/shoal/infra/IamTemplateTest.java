package dev.shoal.infra;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static dev.shoal.infra.TemplateJson.oneOrMany;
import static dev.shoal.infra.TemplateJson.properties;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class IamTemplateTest {

    /**
     * Statements AWS gives no narrower resource for, and why they are allowed. ListStreams lists
     * stream ARNs and reads no data; the stream's data actions name the stream.
     */
    private static final Set<Object> ACTIONS_ALLOWED_ON_EVERY_RESOURCE = Set.of("dynamodb:ListStreams");

    private static final Set<String> SEGMENT_WRITER_ACTIONS = Set.of(
            "s3:ListBucket", "s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload");
    private static final Set<String> SERVICE_TABLE_ACTIONS = Set.of(
            "dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:PutItem",
            "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem", "dynamodb:ConditionCheckItem");
    private static final Set<String> LOG_ACTIONS = Set.of("logs:CreateLogStream", "logs:PutLogEvents");

    private final TemplateJson json = Synthesized.defaults().json();

    @Test
    void noStatementAllowsEveryActionOfAService() {
        for (TemplateJson template : allVariants()) {
            for (Map<String, Object> statement : allStatements(template)) {
                for (Object action : oneOrMany(statement.get("Action"))) {
                    assertFalse(action.toString().equals("*") || action.toString().endsWith(":*"),
                            "wildcard action in " + statement);
                }
            }
        }
    }

    @Test
    void onlyListStreamsIsAllowedOnEveryResource() {
        for (TemplateJson template : allVariants()) {
            for (Map<String, Object> statement : allStatements(template)) {
                if (oneOrMany(statement.get("Resource")).contains("*")) {
                    assertTrue(ACTIONS_ALLOWED_ON_EVERY_RESOURCE.containsAll(oneOrMany(statement.get("Action"))),
                            "'*' resource in " + statement);
                }
            }
        }
    }

    @Test
    void rolesCarryNoManagedPolicies() {
        json.resources("AWS::IAM::Role").forEach((id, role) ->
                assertFalse(properties(role).containsKey("ManagedPolicyArns"), id + " has managed policies"));
    }

    @Test
    void apiReadsAndWritesSegmentsAndItemsAndReadsBothSecrets() {
        assertEquals(union(LOG_ACTIONS, SEGMENT_WRITER_ACTIONS, SERVICE_TABLE_ACTIONS,
                        Set.of("secretsmanager:GetSecretValue")),
                actionsOf("shoal-api"));
        assertEquals(2, resourcesOf("shoal-api", "secretsmanager:GetSecretValue").size());
    }

    @Test
    void dispatcherAlsoReadsTheStreamAndInvokesOnlyTargetFunctions() {
        assertEquals(union(LOG_ACTIONS, SEGMENT_WRITER_ACTIONS, SERVICE_TABLE_ACTIONS, Set.of(
                        "secretsmanager:GetSecretValue", "lambda:InvokeFunction",
                        "dynamodb:ListStreams", "dynamodb:DescribeStream", "dynamodb:GetRecords",
                        "dynamodb:GetShardIterator",
                        "sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl")),
                actionsOf("shoal-dispatcher"));
        List<Object> targets = resourcesOf("shoal-dispatcher", "lambda:InvokeFunction");
        assertEquals(1, targets.size());
        assertTrue(targets.getFirst().toString().contains(":function:shoal-target-*"), targets.toString());
        assertEquals(1, resourcesOf("shoal-dispatcher", "secretsmanager:GetSecretValue").size(),
                "the receipt key only");
    }

    @Test
    void listedTargetsAreInvocableWithTheirVersionsAndAliases() {
        String target = "arn:aws:lambda:eu-west-1:123456789012:function:orders";
        TemplateJson listed = Synthesized.listedTargets().json();

        List<Object> resources = new ArrayList<>();
        String role = listed.roleOfFunction("shoal-dispatcher");
        listed.statementsOfRole(role).stream()
                .filter(s -> oneOrMany(s.get("Action")).contains("lambda:InvokeFunction"))
                .forEach(s -> resources.addAll(oneOrMany(s.get("Resource"))));
        assertEquals(List.of(target, target + ":*"), resources);
    }

    @Test
    void janitorDeletesButNeverWritesSegmentsAndReadsNoSecret() {
        assertEquals(union(LOG_ACTIONS,
                        Set.of("s3:ListBucket", "s3:GetObject", "s3:DeleteObject"),
                        Set.of("dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan", "dynamodb:UpdateItem",
                                "dynamodb:DeleteItem", "dynamodb:BatchWriteItem")),
                actionsOf("shoal-janitor"));
    }

    @Test
    void tableActionsNameBothTablesAndTheDueIndex() {
        for (String function : List.of("shoal-api", "shoal-dispatcher", "shoal-janitor")) {
            String resources = resourcesOf(function, "dynamodb:Query").toString();
            assertTrue(resources.contains(json.idWhere("AWS::DynamoDB::Table", "TableName", "shoal-log")), resources);
            assertTrue(resources.contains(json.idWhere("AWS::DynamoDB::Table", "TableName", "shoal-state")), resources);
            assertTrue(resources.contains("/index/due"), resources);
        }
    }

    private Set<String> actionsOf(String functionName) {
        Set<String> actions = new TreeSet<>();
        json.statementsOfRole(json.roleOfFunction(functionName)).forEach(s -> {
            assertEquals("Allow", s.get("Effect"));
            oneOrMany(s.get("Action")).forEach(a -> actions.add(a.toString()));
        });
        return actions;
    }

    private List<Object> resourcesOf(String functionName, String action) {
        List<Object> resources = new ArrayList<>();
        json.statementsOfRole(json.roleOfFunction(functionName)).stream()
                .filter(s -> oneOrMany(s.get("Action")).contains(action))
                .forEach(s -> resources.addAll(oneOrMany(s.get("Resource"))));
        if (resources.isEmpty()) {
            fail(functionName + " may not " + action);
        }
        return resources;
    }

    private static List<Map<String, Object>> allStatements(TemplateJson template) {
        List<Map<String, Object>> statements = new ArrayList<>();
        template.resources("AWS::IAM::Policy").values()
                .forEach(p -> statements.addAll(TemplateJson.statements(properties(p))));
        assertFalse(statements.isEmpty());
        return statements;
    }

    private static List<TemplateJson> allVariants() {
        return List.of(
                Synthesized.defaults().json(),
                Synthesized.listedTargets().json(),
                Synthesized.notified().json());
    }

    @SafeVarargs
    private static Set<String> union(Set<String>... sets) {
        Set<String> all = new TreeSet<>();
        for (Set<String> s : sets) {
            all.addAll(s);
        }
        return all;
    }
}
