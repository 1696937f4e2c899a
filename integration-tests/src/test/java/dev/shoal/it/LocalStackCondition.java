package dev.shoal.it;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

/**
 * Skips a test class when {@code shoal.stack=localstack} and Docker is unavailable. The storage
 * fixture aborts while resolving the {@code AwsFixture} parameter in that case, but JUnit reports
 * an abort thrown by a parameter resolver as an error; deciding before the test starts is what
 * makes it a skip.
 */
final class LocalStackCondition implements ExecutionCondition {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (!"localstack".equals(System.getProperty("shoal.stack"))) {
            return ConditionEvaluationResult.enabled("embedded stack");
        }
        return context.getRoot().getStore(ExtensionContext.Namespace.create(LocalStackCondition.class))
                .getOrComputeIfAbsent("docker", k -> DockerClientFactory.instance().isDockerAvailable()
                        ? ConditionEvaluationResult.enabled("Docker is available for LocalStack")
                        : ConditionEvaluationResult.disabled("LocalStack needs Docker, which is not available: skipped"),
                        ConditionEvaluationResult.class);
    }
}
