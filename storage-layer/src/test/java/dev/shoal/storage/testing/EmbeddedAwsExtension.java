package dev.shoal.storage.testing;

import dev.shoal.storage.dynamodb.ShoalTables;
import dev.shoal.storage.local.AwsStack;
import dev.shoal.storage.local.EmbeddedAws;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one test fixture for anything that needs AWS: resolves an {@link AwsFixture} parameter
 * with fresh tables and a fresh bucket on a stack shared by the whole test JVM.
 *
 * <p>The stack is the embedded emulators (DynamoDB Local and S3Proxy on loopback ports),
 * unless the system property {@code shoal.stack=localstack} asks for LocalStack: then the
 * class named by {@code shoal.stack.class} (default {@code dev.shoal.it.LocalStackAws},
 * in integration-tests) provides it, and where it cannot start (no Docker) the tests are
 * skipped, not failed.
 */
public final class EmbeddedAwsExtension implements ParameterResolver {

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final String RUN = Long.toString(System.nanoTime() % 100_000, 36);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext extension) {
        return parameter.getParameter().getType() == AwsFixture.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext extension) {
        AwsStack stack = sharedStack(extension);
        int n = COUNTER.incrementAndGet();
        AwsFixture fixture = new AwsFixture(stack, new ShoalTables("t" + RUN + "-" + n), "shoal-test-" + RUN + "-" + n);
        extension.getStore(ExtensionContext.Namespace.create(EmbeddedAwsExtension.class, n))
                .put("fixture", (AutoCloseable) fixture);
        return fixture;
    }

    private static AwsStack sharedStack(ExtensionContext extension) {
        ExtensionContext.Store root = extension.getRoot().getStore(ExtensionContext.Namespace.create(EmbeddedAwsExtension.class));
        return root.getOrComputeIfAbsent("stack", key -> new ClosingStack(startStack()), ClosingStack.class).stack();
    }

    private static AwsStack startStack() {
        if (!"localstack".equals(System.getProperty("shoal.stack"))) {
            return EmbeddedAws.startInMemory();
        }
        String className = System.getProperty("shoal.stack.class", "dev.shoal.it.LocalStackAws");
        try {
            return (AwsStack) Class.forName(className).getMethod("start").invoke(null);
        } catch (ReflectiveOperationException e) {
            Assumptions.abort("LocalStack stack unavailable (" + e.getCause() + "): skipped");
            throw new AssertionError("unreachable");
        }
    }

    /** Closes the shared stack when the root context closes (end of the test run). */
    private record ClosingStack(AwsStack stack) implements AutoCloseable {
        @Override
        public void close() {
            stack.close();
        }
    }
}
