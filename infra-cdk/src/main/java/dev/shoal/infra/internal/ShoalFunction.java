package dev.shoal.infra.internal;

import dev.shoal.infra.FunctionSettings;
import dev.shoal.infra.ManagedInstancesSettings;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.ec2.ISecurityGroup;
import software.amazon.awscdk.services.ec2.ISubnet;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.Subnet;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.CapacityProvider;
import software.amazon.awscdk.services.lambda.CapacityProviderFunctionOptions;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.lambda.Tracing;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One of Shoal's functions: Java 21 on arm64 with SnapStart (or, for the api, optionally on Lambda
 * Managed Instances), its own role that starts empty
 * (no managed policies; {@link #allow} adds each statement), its own log group, and the alias
 * {@value #ALIAS} on the current version, which is what every trigger invokes.
 */
public final class ShoalFunction extends Construct {

    /** Every trigger and the API point here; SnapStart only applies to published versions. */
    public static final String ALIAS = "live";

    /** What CDK says for every SnapStart function; the alias below is the published version. */
    private static final String SNAPSTART_WARNING = "@aws-cdk/aws-lambda:snapStartRequirePublish";

    /** What one function is. */
    public record Spec(
            String functionName,
            String handler,
            String description,
            FunctionSettings settings,
            Map<String, String> environment,
            Integer reservedConcurrency,
            boolean tracing,
            ManagedInstancesSettings managedInstances) { // null: standard Lambda with SnapStart
    }

    private final Role role;
    private final Function function;
    private final Alias live;

    public ShoalFunction(Construct scope, String id, Spec spec, Code code, RetentionDays logRetention,
            RemovalPolicy removal) {
        super(scope, id);
        this.role = Role.Builder.create(this, "Role")
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .description(spec.functionName() + ": only what this function uses")
                .build();
        LogGroup logs = LogGroup.Builder.create(this, "Logs")
                .retention(logRetention)
                .removalPolicy(removal)
                .build();
        // Instead of AWSLambdaBasicExecutionRole, which allows writing to every log group.
        logs.grantWrite(role);

        Function.Builder builder = Function.Builder.create(this, "Function")
                .functionName(spec.functionName())
                .description(spec.description())
                .runtime(Runtime.JAVA_21)
                .architecture(Architecture.ARM_64)
                .handler(spec.handler())
                .code(code)
                .memorySize(spec.settings().memoryMb())
                .timeout(Duration.seconds(spec.settings().timeout().toSeconds()))
                .environment(spec.environment())
                .role(role)
                .logGroup(logs)
                .reservedConcurrentExecutions(spec.reservedConcurrency())
                .tracing(spec.tracing() ? Tracing.ACTIVE : Tracing.DISABLED);
        if (spec.managedInstances() == null) {
            this.function = builder.snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS).build();
            Annotations.of(function).acknowledgeWarning(SNAPSTART_WARNING,
                    "published: every trigger invokes the alias '" + ALIAS + "' on the current version");
        } else {
            this.function = builder.build(); // SnapStart does not apply to Managed Instances
            onManagedInstances(spec.managedInstances());
        }

        this.live = Alias.Builder.create(this, "Live")
                .aliasName(ALIAS)
                .version(function.getCurrentVersion())
                // Only the schedules invoke asynchronously. A failed run is not retried: the
                // next run a minute later does the same work, and retries would only overlap it.
                .retryAttempts(0)
                .maxEventAge(Duration.minutes(1))
                .build();
    }

    /** A capacity provider of its own, in the given subnets, serving many requests per environment. */
    private void onManagedInstances(ManagedInstancesSettings settings) {
        List<ISubnet> subnets = new ArrayList<>();
        for (String id : settings.subnetIds()) {
            subnets.add(Subnet.fromSubnetId(this, "Subnet-" + id, id));
        }
        List<ISecurityGroup> groups = new ArrayList<>();
        for (String id : settings.securityGroupIds()) {
            groups.add(SecurityGroup.fromSecurityGroupId(this, "SecurityGroup-" + id, id));
        }
        CapacityProvider provider = CapacityProvider.Builder.create(this, "Capacity")
                .subnets(subnets)
                .securityGroups(groups)
                .architectures(List.of(Architecture.ARM_64))
                .maxVCpuCount(settings.maxVCpus())
                .build();
        provider.addFunction(function, CapacityProviderFunctionOptions.builder()
                .perExecutionEnvironmentMaxConcurrency(settings.maxConcurrencyPerEnvironment())
                .build());
    }

    /** Adds one statement to this function's role. */
    public void allow(PolicyStatement statement) {
        role.addToPrincipalPolicy(statement);
    }

    public Role role() {
        return role;
    }

    public Function function() {
        return function;
    }

    public Alias live() {
        return live;
    }
}
