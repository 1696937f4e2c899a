package dev.shoal.infra;

import software.amazon.awscdk.App;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.StackProps;

import java.nio.file.Path;

/**
 * The CDK app: one {@link ShoalStack} configured from context. {@code cdk.json} runs it;
 * docs/deploy.md says how.
 */
public final class ShoalApp {

    private ShoalApp() {
    }

    public static void main(String[] args) {
        App app = new App();
        ShoalDeploymentProps props = ContextProps.read(app.getNode(), Path.of("").toAbsolutePath());
        new ShoalStack(app, stackName(app, props), StackProps.builder()
                .description("Shoal: a serverless message queue on S3 and DynamoDB (deployment " + props.prefix() + ")")
                // The account and region of the CLI's credentials, when it has any; otherwise
                // an environment-agnostic template, which synthesizes offline.
                .env(Environment.builder()
                        .account(System.getenv("CDK_DEFAULT_ACCOUNT"))
                        .region(System.getenv("CDK_DEFAULT_REGION"))
                        .build())
                .build(), props);
        app.synth();
    }

    /** {@code Shoal} for the default prefix, {@code Shoal-<prefix>} for others, or context {@code stackName}. */
    static String stackName(App app, ShoalDeploymentProps props) {
        Object name = app.getNode().tryGetContext("stackName");
        if (name != null && !name.toString().isBlank()) {
            return name.toString().trim();
        }
        return "shoal".equals(props.prefix()) ? "Shoal" : "Shoal-" + props.prefix();
    }
}
