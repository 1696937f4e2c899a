package dev.shoal.infra;

import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShoalDeploymentPropsTest {

    private static final Path JAR = Path.of("fn.jar");

    @Test
    void aPrefixTooLongForFunctionNamesIsRejected() {
        assertRejected("1-40", () -> ShoalDeploymentProps.builder(JAR).tablePrefix("x".repeat(41)).build());
    }

    @Test
    void anApiTimeoutBeyondApiGatewaysIsRejected() {
        assertRejected("30 s", () -> ShoalDeploymentProps.builder(JAR).api(FunctionSettings.of(1024, 31)).build());
    }

    @Test
    void functionLimitsOutsideLambdasAreRejected() {
        assertRejected("memoryMb", () -> FunctionSettings.of(64, 10));
        assertRejected("timeout", () -> FunctionSettings.of(1024, 901));
        assertRejected("timeout", () -> new FunctionSettings(1024, Duration.ofMillis(1500)));
    }

    @Test
    void schedulesFinerThanAMinuteAreRejected() {
        assertRejected("whole minutes", () -> ShoalDeploymentProps.builder(JAR).janitorRate(Duration.ofSeconds(30)).build());
        assertRejected("whole minutes", () -> ShoalDeploymentProps.builder(JAR).dispatcherRate(Duration.ofSeconds(90)).build());
    }

    @Test
    void targetsMustBeUnqualifiedFunctionArns() {
        assertRejected("unqualified", () -> ShoalDeploymentProps.builder(JAR)
                .targetArns(List.of("arn:aws:lambda:eu-west-1:123456789012:function:orders:live")).build());
        assertRejected("unqualified", () -> ShoalDeploymentProps.builder(JAR).targetArns(List.of("*")).build());
        assertRejected("targetNamePrefix", () -> ShoalDeploymentProps.builder(JAR).targetNamePrefix("*").build());
    }

    @Test
    void orphanPrefixMustBeAFolder() {
        assertRejected("orphanPrefix", () -> ShoalDeploymentProps.builder(JAR).orphanPrefix("orphans").build());
        assertRejected("orphanPrefix", () -> ShoalDeploymentProps.builder(JAR).orphanPrefix("/").build());
    }

    @Test
    void aMissingFunctionsJarSaysHowToBuildIt() {
        ShoalDeploymentProps props = ShoalDeploymentProps.builder(Path.of("does/not/exist.jar")).build();
        Stack stack = new Stack(new App(), "Missing");

        assertRejected("mvn -B -pl functions -am package", () -> new ShoalDeployment(stack, "Shoal", props));
    }

    private static void assertRejected(String expected, org.junit.jupiter.api.function.Executable build) {
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class, build);
        assertTrue(thrown.getMessage().contains(expected), thrown.getMessage());
    }
}
