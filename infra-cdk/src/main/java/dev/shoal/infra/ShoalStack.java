package dev.shoal.infra;

import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.constructs.Construct;

/** A stack holding one {@link ShoalDeployment}, with the outputs a user needs to reach it. */
public final class ShoalStack extends Stack {

    private final ShoalDeployment deployment;

    public ShoalStack(Construct scope, String id, StackProps stackProps, ShoalDeploymentProps props) {
        super(scope, id, stackProps);
        this.deployment = new ShoalDeployment(this, "Shoal", props);
        output("ApiUrl", deployment.httpApi().getApiEndpoint(),
                "Base URL: native API under /v1 (sign for execute-api), SQS endpoint for AWS SDKs and the aws CLI");
        output("ApiId", deployment.httpApi().getApiId(),
                "HTTP API id, for IAM policies: arn:aws:execute-api:REGION:ACCOUNT:ID/*/*/v1/*");
        output("BucketName", deployment.bucket().getBucketName(), "Segment bucket");
        output("LogTableName", deployment.logTable().getTableName(), "Log table");
        output("StateTableName", deployment.stateTable().getTableName(), "State table");
        output("SqsCredentialsSecretArn", deployment.sqsCredentials().getSecretArn(),
                "Secrets Manager secret with the SQS face's access key id and secret access key");
        output("DashboardName", deployment.dashboard().getDashboardName(), "CloudWatch dashboard");
        output("AlarmTopicArn", deployment.alarmTopic().getTopicArn(),
                "SNS topic every alarm notifies (subscribe to it: the stack made it unless alarmTopicArn was given)");
    }

    public ShoalDeployment deployment() {
        return deployment;
    }

    private void output(String id, String value, String description) {
        CfnOutput.Builder.create(this, id).value(value).description(description).build();
    }
}
