package dev.shoal.it.runtime;

import dev.shoal.storage.dynamodb.ShoalTables;
import dev.shoal.storage.local.EmbeddedAws;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The cold-start proxy for BENCHMARKS.md (opt-in: {@code -Dshoal.coldStart=true}, optionally
 * {@code -Dshoal.coldStart.jar=PATH} and {@code -Dshoal.coldStart.runs=N}): a fresh JVM under the
 * runtime interface client, from process start to the api function's first answer (GET
 * /health), wall time and the process's CPU time, median of the runs. Keys are in the
 * environment as well as the container endpoint, so jars from before the credentials fix start
 * too and the figures compare.
 */
@EnabledIfSystemProperty(named = "shoal.coldStart", matches = "true")
class ColdStartMeasurement {

    @Test
    void apiFunctionFromProcessStartToFirstAnswer(@TempDir Path work) throws Exception {
        Path jar = Path.of(System.getProperty("shoal.coldStart.jar", System.getProperty("shoal.functionsJar")));
        int runs = Integer.getInteger("shoal.coldStart.runs", 5);
        Path task = Files.createDirectories(work.resolve("task"));
        LambdaProcess.unzip(jar, task);
        LambdaProcess.addHostZstdNative(task);
        List<Long> wall = new ArrayList<>();
        List<Long> cpu = new ArrayList<>();
        try (EmbeddedAws aws = EmbeddedAws.startInMemory();
             ContainerCredentials credentials = new ContainerCredentials(EmbeddedAws.ACCESS_KEY, EmbeddedAws.SECRET_KEY, "t");
             SecretsManagerStandIn secrets = new SecretsManagerStandIn()) {
            SynthesizedDeployment deployment = SynthesizedDeployment.synthesize(jar, "shoal-coldstart");
            aws.provision(new ShoalTables("shoal"), "shoal-coldstart");
            deployment.secretValues().forEach(secrets::put);
            Map<String, String> env = new HashMap<>(credentials.environment());
            env.put("AWS_ACCESS_KEY_ID", EmbeddedAws.ACCESS_KEY);
            env.put("AWS_SECRET_ACCESS_KEY", EmbeddedAws.SECRET_KEY);
            env.put("AWS_ENDPOINT_URL_DYNAMODB", aws.dynamoEndpoint().toString());
            env.put("AWS_ENDPOINT_URL_S3", aws.s3Endpoint().toString());
            env.put("AWS_ENDPOINT_URL_SECRETS_MANAGER", secrets.endpoint().toString());
            for (int i = 0; i < runs; i++) {
                try (LambdaRuntimeApi runtime = new LambdaRuntimeApi("arn:aws:lambda:us-east-1:123456789012:function:shoal-api")) {
                    long start = System.nanoTime();
                    var answer = runtime.invoke(ApiGatewayStandIn.event("GET", "/health", null, Map.of(), new byte[0]), Duration.ofSeconds(30));
                    try (LambdaProcess p = LambdaProcess.start(task, work, deployment.function("shoal-api"), runtime.address(), env)) {
                        LambdaRuntimeApi.Answer a = answer.get(120, TimeUnit.SECONDS);
                        wall.add((System.nanoTime() - start) / 1_000_000);
                        cpu.add(p.cpuMillis());
                        assertFalse(a.error(), a.body());
                    }
                }
            }
        }
        System.out.printf("COLD START %s: wall ms %s (median %d), cpu ms %s (median %d), jar %d bytes%n", jar.getFileName(),
                wall, median(wall), cpu, median(cpu), Files.size(jar));
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
