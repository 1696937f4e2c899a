package dev.shoal.it.runtime;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * One function as AWS Lambda's Java runtime runs it: a child JVM whose class path holds only
 * the runtime interface client (as /var/runtime/lib does), the function's jar unzipped as
 * {@code LAMBDA_TASK_ROOT} (as /var/task is), the handler as the argument, and an
 * environment with nothing in it but what Lambda and the template set.
 */
final class LambdaProcess implements AutoCloseable {

    /** The runtime client and what it needs, taken from this JVM's test class path. */
    private static final List<String> RUNTIME_JARS = List.of(
            "aws-lambda-java-runtime-interface-client", "aws-lambda-java-serialization", "aws-lambda-java-core",
            "utils-lite", "annotations");

    private final Process process;
    private final Path log;

    private LambdaProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Unzips a jar into {@code taskRoot}, as Lambda unpacks a function's zip into /var/task. */
    static void unzip(Path jar, Path taskRoot) {
        try (InputStream in = Files.newInputStream(jar); ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                Path target = taskRoot.resolve(e.getName()).normalize();
                if (!target.startsWith(taskRoot)) {
                    throw new IOException("zip entry outside the task root: " + e.getName());
                }
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(zip, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The jar carries zstd's linux/aarch64 native only, as the functions run on arm64. When this
     * machine is not arm64, the native of its own architecture is added to the task root from
     * the zstd-jni jar on the test class path: the only file of the task root not from the
     * Lambda jar.
     */
    static void addHostZstdNative(Path taskRoot) {
        String arch = System.getProperty("os.arch");
        String dir = arch.equals("amd64") || arch.equals("x86_64") ? "linux/amd64" : "linux/aarch64";
        if (dir.equals("linux/aarch64")) {
            return;
        }
        try {
            Path zstdJar = Path.of(com.github.luben.zstd.Zstd.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            try (var zip = new java.util.zip.ZipFile(zstdJar.toFile())) {
                var entries = zip.stream().filter(e -> e.getName().startsWith(dir + "/") && !e.isDirectory()).toList();
                for (ZipEntry e : entries) {
                    Path target = taskRoot.resolve(e.getName());
                    Files.createDirectories(target.getParent());
                    try (InputStream in = zip.getInputStream(e)) {
                        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        } catch (IOException | java.net.URISyntaxException e) {
            throw new IllegalStateException("could not add zstd's " + dir + " native to the task root", e);
        }
    }

    /**
     * Starts the runtime client on {@code handler}.
     *
     * @param environment the whole environment of the process, besides what Lambda itself sets here
     */
    static LambdaProcess start(Path taskRoot, Path workDir, SynthesizedDeployment.Function function,
                               String runtimeApi, Map<String, String> environment) {
        try {
            Path log = workDir.resolve(function.name() + ".log");
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    // what the Lambda Java runtimes set by default
                    "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1",
                    "-Xmx" + (function.memoryMb() * 3 / 4) + "m",
                    "--enable-native-access=ALL-UNNAMED",
                    "-cp", runtimeClassPath(),
                    "com.amazonaws.services.lambda.runtime.api.client.AWSLambda",
                    function.handler()));
            ProcessBuilder builder = new ProcessBuilder(command).directory(taskRoot.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            Map<String, String> env = builder.environment();
            env.clear();
            Path home = Files.createDirectories(workDir.resolve("home"));
            Map<String, String> lambda = new TreeMap<>(Map.of(
                    "LAMBDA_TASK_ROOT", taskRoot.toString(),
                    "AWS_LAMBDA_RUNTIME_API", runtimeApi,
                    "AWS_LAMBDA_FUNCTION_NAME", function.name(),
                    "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(function.memoryMb()),
                    "AWS_LAMBDA_FUNCTION_VERSION", "1",
                    "AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + function.name(),
                    "AWS_LAMBDA_LOG_STREAM_NAME", "contract-test",
                    "AWS_REGION", SynthesizedDeployment.REGION,
                    "AWS_DEFAULT_REGION", SynthesizedDeployment.REGION,
                    "AWS_EXECUTION_ENV", "AWS_Lambda_java21"));
            lambda.put("HOME", home.toString()); // no ~/.aws of the machine's
            lambda.put("TZ", ":UTC");
            lambda.put("_HANDLER", function.handler());
            env.putAll(lambda);
            env.putAll(function.environment());
            env.putAll(environment);
            return new LambdaProcess(builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String runtimeClassPath() {
        List<String> jars = new ArrayList<>();
        List<String> entries = Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
        for (String artifact : RUNTIME_JARS) {
            String jar = entries.stream()
                    .filter(e -> Path.of(e).getFileName().toString().matches(artifact + "-[0-9][^/]*\\.jar"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException(artifact + " is not on the test class path"));
            jars.add(jar);
        }
        return String.join(File.pathSeparator, jars);
    }

    /** CPU time the process has used so far (user and system), or -1 where the OS does not tell. */
    long cpuMillis() {
        return process.toHandle().info().totalCpuDuration().map(Duration::toMillis).orElse(-1L);
    }

    /** Sends SIGTERM (what Lambda sends at shutdown when an extension is registered); true when the process ended within {@code max}. */
    boolean terminate(Duration max) throws InterruptedException {
        process.destroy();
        return process.waitFor(max.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    boolean alive() {
        return process.isAlive();
    }

    /** What the function wrote (its CloudWatch log, in Lambda), for failure messages. */
    String output() {
        try {
            String text = Files.readString(log);
            return text.length() > 8000 ? "..." + text.substring(text.length() - 8000) : text;
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
