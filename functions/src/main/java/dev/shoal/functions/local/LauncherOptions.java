package dev.shoal.functions.local;

import java.nio.file.Path;
import java.util.Map;

/**
 * {@code ./shoal local [--port P] [--data DIR] [--access-key K --secret-key S] [--region R]}.
 *
 * @param port      the API's port on 127.0.0.1 (0 picks a free one)
 * @param dataDir   where DynamoDB Local and the S3 emulator keep their data
 * @param accessKey the SQS face's access key id (default {@code test})
 * @param secretKey its secret (default {@code test})
 * @param region    the region SQS requests are signed for (default {@code us-east-1})
 */
public record LauncherOptions(int port, Path dataDir, String accessKey, String secretKey, String region) {

    public static final int DEFAULT_PORT = 8080;
    public static final String DEFAULT_DATA_DIR = ".shoal-data";
    public static final String USAGE = """
            usage: ./shoal local [--port P] [--data DIR] [--access-key K --secret-key S] [--region R]
              --port P          API port on 127.0.0.1 (default 8080)
              --data DIR        data folder, kept across restarts (default .shoal-data)
              --access-key K    access key id the SQS face accepts (default test)
              --secret-key S    its secret key (default test)
              --region R        region SQS requests are signed for (default us-east-1)""";

    public static LauncherOptions defaults() {
        return new LauncherOptions(DEFAULT_PORT, Path.of(DEFAULT_DATA_DIR), "test", "test", "us-east-1");
    }

    /** Parses the arguments after {@code local}; throws IllegalArgumentException with what is wrong. */
    public static LauncherOptions parse(String[] args) {
        LauncherOptions o = defaults();
        int port = o.port();
        Path data = o.dataDir();
        Map<String, String> strings = new java.util.HashMap<>(Map.of("--access-key", o.accessKey(), "--secret-key", o.secretKey(), "--region", o.region()));
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-h") || a.equals("--help")) {
                throw new IllegalArgumentException("");
            }
            String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
            String value;
            if (a.contains("=")) {
                value = a.substring(a.indexOf('=') + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException(name + " needs a value");
            }
            switch (name) {
                case "--port" -> {
                    try {
                        port = Integer.parseInt(value);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--port must be a number, was '" + value + "'");
                    }
                    if (port < 0 || port > 65535) throw new IllegalArgumentException("--port must be 0-65535, was " + port);
                }
                case "--data" -> data = Path.of(value);
                case "--access-key", "--secret-key", "--region" -> {
                    if (value.isBlank()) throw new IllegalArgumentException(name + " must not be empty");
                    strings.put(name, value);
                }
                default -> throw new IllegalArgumentException("unknown option " + name);
            }
        }
        return new LauncherOptions(port, data, strings.get("--access-key"), strings.get("--secret-key"), strings.get("--region"));
    }

    public LauncherOptions withPort(int p) {
        return new LauncherOptions(p, dataDir, accessKey, secretKey, region);
    }

    public LauncherOptions withDataDir(Path d) {
        return new LauncherOptions(port, d, accessKey, secretKey, region);
    }
}
