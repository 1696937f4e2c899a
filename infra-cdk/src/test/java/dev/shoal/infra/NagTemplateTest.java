package dev.shoal.infra;

import dev.shoal.infra.internal.ShoalFunction;
import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.cxapi.SynthesisMessage;

import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * cdk-nag's AWS Solutions rules over the stack with every default: no finding is left, each
 * suppression below says why the rule does not fit.
 */
class NagTemplateTest {

    private final Synthesized.Synthesis nagged = Synthesized.nagged(NagTemplateTest::suppress);

    static void suppress(ShoalStack stack) {
        ShoalDeployment d = stack.deployment();
        String root = "/" + stack.getNode().getPath() + "/Shoal/";
        for (ShoalFunction f : List.of(d.api(), d.dispatcher(), d.janitor())) {
            NagSuppressions.addResourceSuppressions(f.function(), List.of(rule("AwsSolutions-L1",
                    "The functions are compiled for Java 21 (maven.compiler.release 21) and tested on its runtime;"
                            + " moving to a newer Java runtime is a deliberate upgrade (SnapStart, the CRaC hooks and"
                            + " the runtime contract test move with it), not a default.")));
            NagSuppressions.addResourceSuppressions(f.role(), List.of(ruleFor("AwsSolutions-IAM5",
                    "Segments are objects with generated keys under Shoal's own bucket: the wildcard is the key,"
                            + " never another bucket. Actions are listed one by one (see AccessPolicies).",
                    "Resource::<ShoalStorageSegments8456CD4A.Arn>/*")), true);
        }
        NagSuppressions.addResourceSuppressions(d.dispatcher().role(), List.of(
                ruleFor("AwsSolutions-IAM5", "dynamodb:ListStreams, which the stream trigger needs, has no resource-level"
                        + " permissions: IAM only accepts '*' for it.", "Resource::*"),
                ruleFor("AwsSolutions-IAM5", "Push targets are chosen at run time by name: the dispatcher may invoke"
                        + " functions named <prefix>-target-* in this account and region, and nothing else (see"
                        + " docs/deploy.md, Dispatch targets).",
                        "Resource::arn:<AWS::Partition>:lambda:<AWS::Region>:<AWS::AccountId>:function:shoal-target-*")), true);
        NagSuppressions.addResourceSuppressionsByPath(stack, root + "Http/HttpApi/POST--/Resource", List.of(rule("AwsSolutions-APIG4",
                "The SQS face: SQS clients sign for service 'sqs', which API Gateway's IAM authorizer rejects, so the"
                        + " api function verifies each SigV4 signature itself against the SQS credentials secret;"
                        + " unsigned or wrongly signed requests get SQS's own errors. The stage throttles the route.")));
        NagSuppressions.addResourceSuppressionsByPath(stack, root + "Http/HttpApi/POST--{account}--{queue}/Resource", List.of(rule("AwsSolutions-APIG4",
                "The SQS face's query protocol, which clients post to their queue URL: as for POST /, the api function"
                        + " verifies each SigV4 signature (service 'sqs') itself; the stage throttles the route.")));
        NagSuppressions.addResourceSuppressionsByPath(stack, root + "Http/HttpApi/GET--health/Resource", List.of(rule("AwsSolutions-APIG4",
                "A liveness check for load balancers and smoke tests: it reads nothing and reveals nothing; the"
                        + " stage throttles it.")));
        for (var secret : List.of(d.receiptKey(), d.sqsCredentials())) {
            NagSuppressions.addResourceSuppressions(secret, List.of(rule("AwsSolutions-SMG4",
                    "Rotation is an operator's procedure (docs/deploy.md): the SQS credentials are held by clients, which"
                            + " must be moved to a new pair before the old one goes; a new receipt key invalidates"
                            + " receipts in flight. An automatic schedule would break both without warning.")));
        }
        NagSuppressions.addResourceSuppressions(d.bucket(), List.of(rule("AwsSolutions-S1",
                "Every message read and write is a segment GET or PUT: server access logs would add a log object per"
                        + " handful of requests, billed at the bucket's traffic. The API's access logs record callers;"
                        + " CloudTrail S3 data events are the choice for an object-level audit.")));
        NagSuppressions.addResourceSuppressionsByPath(stack, root + "Triggers/StreamFailures/Resource", List.of(rule("AwsSolutions-SQS3",
                "This queue is itself a dead-letter destination (the stream trigger's on-failure destination); it"
                        + " has an alarm (shoal-stream-failures), and a queue behind it would only move the question.")));
    }

    private static NagPackSuppression rule(String id, String reason) {
        return NagPackSuppression.builder().id(id).reason(reason).build();
    }

    private static NagPackSuppression ruleFor(String id, String reason, String finding) {
        return NagPackSuppression.builder().id(id).reason(reason).appliesTo(List.of(finding)).build();
    }

    @Test
    void awsSolutionsRulesFindNoUnsuppressedError() {
        List<SynthesisMessage> errors = Annotations.fromStack(nagged.stack()).findError("*", Match.stringLikeRegexp("AwsSolutions-.*"));
        assertEquals("", describe(errors));
    }

    @Test
    void awsSolutionsRulesFindNoUnsuppressedWarning() {
        List<SynthesisMessage> warnings = Annotations.fromStack(nagged.stack()).findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*"));
        assertEquals("", describe(warnings));
    }

    private static String describe(List<SynthesisMessage> messages) {
        return messages.stream().map(m -> m.getId() + ": " + m.getEntry().getData().toString().lines().findFirst().orElse(""))
                .sorted().collect(Collectors.joining("\n"));
    }
}
