package dev.shoal.infra.internal;

import dev.shoal.infra.DispatchSettings;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.secretsmanager.ISecret;

import java.util.ArrayList;
import java.util.List;

/**
 * What each function may do, spelled out action by action instead of CDK's broad
 * {@code grantReadWriteData}: the template is the place to audit it, and the tests assert it.
 *
 * <p>The one statement with a {@code *} resource is {@code dynamodb:ListStreams}, which the
 * stream trigger adds (CDK's DynamoEventSource, as AWS's managed role for DynamoDB triggers
 * does): it lists stream ARNs and reads no data. The stream's data actions name the stream.
 */
public final class AccessPolicies {

    /**
     * A function that writes and reads segments (api, dispatcher). DeleteObject removes the
     * segment of a commit known to have failed; AbortMultipartUpload ends a large upload that
     * failed. ListBucket makes a missing key a 404 rather than a 403, so "segment gone" can
     * be told apart from "not allowed".
     */
    private static final List<String> SEGMENT_OBJECT_ACTIONS =
            List.of("s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload");
    /** The janitor reads (headers, for metrics) and deletes segments; it writes none. */
    private static final List<String> JANITOR_OBJECT_ACTIONS = List.of("s3:GetObject", "s3:DeleteObject");
    private static final List<String> BUCKET_ACTIONS = List.of("s3:ListBucket");

    /**
     * Item actions of the service layer. Transactions need no action of their own: DynamoDB
     * checks each item's Put/Update/Delete/ConditionCheck. No Scan, no table management.
     */
    private static final List<String> SERVICE_TABLE_ACTIONS = List.of(
            "dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query",
            "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem",
            "dynamodb:BatchWriteItem", "dynamodb:ConditionCheckItem");
    /** The janitor walks everything (Scan), and deletes or trims what expired. */
    private static final List<String> JANITOR_TABLE_ACTIONS = List.of(
            "dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan",
            "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem");

    private final Storage storage;

    public AccessPolicies(Storage storage) {
        this.storage = storage;
    }

    public void api(ShoalFunction api, Secrets secrets) {
        segmentsReadWrite(api);
        api.allow(statement("TablesItems", SERVICE_TABLE_ACTIONS, tableArns()));
        api.allow(readSecrets(secrets.receiptKey(), secrets.sqsCredentials()));
    }

    /**
     * The dispatcher leases, acks and dead-letters like the API (it mints receipts, so it reads
     * the receipt key) and invokes targets. Its stream read and its on-failure queue are granted
     * by {@link Triggers}, which creates them.
     */
    public void dispatcher(ShoalFunction dispatcher, Secrets secrets, DispatchSettings dispatch) {
        segmentsReadWrite(dispatcher);
        dispatcher.allow(statement("TablesItems", SERVICE_TABLE_ACTIONS, tableArns()));
        dispatcher.allow(readSecrets(secrets.receiptKey()));
        List<String> targets = targetArns(dispatcher, dispatch);
        if (!targets.isEmpty()) {
            dispatcher.allow(statement("InvokeTargets", List.of("lambda:InvokeFunction"), targets));
        }
    }

    /** The janitor neither mints nor checks receipts, so it reads no secret. */
    public void janitor(ShoalFunction janitor) {
        janitor.allow(statement("SegmentsList", BUCKET_ACTIONS, List.of(storage.bucket().getBucketArn())));
        janitor.allow(statement("SegmentsObjects", JANITOR_OBJECT_ACTIONS,
                List.of(storage.bucket().arnForObjects("*"))));
        janitor.allow(statement("TablesItems", JANITOR_TABLE_ACTIONS, tableArns()));
    }

    private void segmentsReadWrite(ShoalFunction function) {
        function.allow(statement("SegmentsList", BUCKET_ACTIONS, List.of(storage.bucket().getBucketArn())));
        function.allow(statement("SegmentsObjects", SEGMENT_OBJECT_ACTIONS,
                List.of(storage.bucket().arnForObjects("*"))));
    }

    private List<String> tableArns() {
        return List.of(storage.logTable().getTableArn(), storage.stateTable().getTableArn(), storage.dueIndexArn());
    }

    /**
     * Functions named with the prefix in this account and region, and the listed functions;
     * each with {@code :*} too, because invoking a version or alias names the qualified ARN.
     */
    private static List<String> targetArns(ShoalFunction dispatcher, DispatchSettings dispatch) {
        List<String> arns = new ArrayList<>();
        if (!dispatch.targetNamePrefix().isEmpty()) {
            arns.add(Stack.of(dispatcher).formatArn(ArnComponents.builder()
                    .service("lambda")
                    .resource("function")
                    .resourceName(dispatch.targetNamePrefix() + "*")
                    .arnFormat(ArnFormat.COLON_RESOURCE_NAME)
                    .build()));
        }
        for (String arn : dispatch.targetArns()) {
            arns.add(arn);
            arns.add(arn + ":*");
        }
        return arns;
    }

    private static PolicyStatement readSecrets(ISecret... secrets) {
        List<String> arns = new ArrayList<>();
        for (ISecret secret : secrets) {
            arns.add(secret.getSecretArn());
        }
        return statement("ReadSecrets", List.of("secretsmanager:GetSecretValue"), arns);
    }

    private static PolicyStatement statement(String sid, List<String> actions, List<String> resources) {
        return PolicyStatement.Builder.create()
                .sid(sid)
                .effect(Effect.ALLOW)
                .actions(actions)
                .resources(resources)
                .build();
    }
}
