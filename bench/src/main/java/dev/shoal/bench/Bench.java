package dev.shoal.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;

/**
 * Shoal's benchmark harness, on the embedded stack (DynamoDB Local and S3Proxy in this JVM,
 * over loopback HTTP). Every subcommand prints markdown tables on stdout (progress goes to
 * stderr); BENCHMARKS.md holds the tables with the commands that produced them.
 *
 * <p>Request and unit counts are what AWS would bill (see {@code BillingMeter}); latency and
 * throughput are the emulators', not AWS's.
 */
public final class Bench {

    static final String USAGE = """
            usage: ./shoal bench <command> [--option value ...]

            commands:
              produce           benchmark v0: produce N messages through the log; codec vs raw zstd beside it
                  --messages N (10000) | --calls K (K produce calls, overrides --messages)
                  --max-messages N (cap per run)  --size S (1024)  --batch B[,B...] (100)  --producers C[,C...] (1)  --partitions P[,P...] (1)
                  --payload json|random|zeros (json)  --warmup N (2000)  --codec-millis MS (400)
              commit-protocols  the three ways to commit a segment's index, on one partition
                  --producers C[,C...] (1,8,64)  --commits N (2000)  --batch B (10)  --size S (1024)
                  --protocols chain,transaction,atomic-add  --segment-put true|false (true)  --warmup N (300)
              e2e               cost per message: produce, receive, ack (standard queue)
                  --pairs Bp/Br[,...] (1/1,10/10,100/100)  --messages N (10000)  --size S (1024)
                  --consumer-cache-mib M (64; 0 = no segment cache)  --partitions P (1)
              backlog           receive cost at backlogs of 1k and 1M, and with leases in flight and expired
                  --backlogs N[,N...] (1000,1000000)  --receives R (200)  --batches B[,B...] (10,100)
                  --size S (100)  --produce-batch B (1000)  --producers C (4)  --in-flight N (100000)
                  --consumer-cache-mib M (64)
              fifo              FIFO queue: throughput and units per message with 10, 1,000 and 100,000 groups, beside a standard queue
                  --groups G[,G...] (10,1000,100000)  --messages N (20000; at least G per run)  --size S (1024)
                  --batch B (100)  --receive-batch B (100)  --consumer-cache-mib M (64)  --standard true|false (true)
                  --time-limit-s T (600 per phase)  --warmup N (2000)
              sdk               the Java SDK, direct and HTTP, against ElasticMQ through the AWS SDK: throughput, send-to-handler latency
                  --targets direct,http,elasticmq  --messages N (10000)  --size S (1024)  --consumers C (4)
                  --receive-batch B (100 Shoal; SQS is capped at 10)  --linger-ms L (5)  --partitions P[,P...] (1,4; Shoal)
                  --rates R[,R...] (20,200 msg/s, paced runs)  --paced-seconds S (15)  --time-limit-s T (300 per run)  --warmup N (2000)
              sqs               the SQS face through an unchanged SqsClient, beside ElasticMQ: open-loop single-message sends,
                                receives of 10 (long poll), batch deletes; latency, sustained rate, cost per million against SQS
                  --rate R[,R...] (20,200 msg/s)  --senders N[,N...] (8; one, or one per rate)  --receivers M (4)  --seconds S (10)
                  --wait-seconds W (2)  --size S (1024)  --fifo [--groups G (10)]  --drain-seconds D (10)  --warmup-seconds W (10)
                  --targets shoal,elasticmq  --chart-prefix NAME (sqs, sqs-fifo)  --shoal-attributes Name=Value[,...] (CreateQueue, Shoal only)
              all               everything BENCHMARKS.md shows in sections 1-4, then the SQS face, in order (about 10 minutes on 2 vCPU)
                  --quick         tiny runs, to check that it works

            every command also takes
                  --out FILE                          append the tables to FILE as well as printing them
                  --http-client apache5|url-connection  the SDK clients' HTTP client (apache5; see BENCHMARKS.md)
                  --charts DIR                        where PNG charts go (bench/results; off: none); e2e, sdk and sqs draw them
            """;

    private Bench() {
    }

    public static void main(String[] args) throws IOException {
        // With --http-client url-connection, up to 64 threads share each client; the JDK keeps only
        // 5 idle keep-alive connections per host by default, so most requests would open a socket.
        System.setProperty("http.maxConnections", "128");
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help")) {
            System.out.print(USAGE);
            System.exit(args.length == 0 ? 2 : 0);
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        try {
            if (!List.of("produce", "commit-protocols", "e2e", "backlog", "fifo", "sdk", "sqs", "all").contains(args[0])) {
                throw new Options.UsageException("unknown command '" + args[0] + "'");
            }
            Options options = Options.parse(rest);
            String outFile = options.string("out", null);
            BenchStack.HttpClientChoice.choose(options.string("http-client", "apache5"));
            String chartDir = options.string("charts", "bench/results");
            Charts.Output charts = chartDir.equals("off") ? Charts.Output.off()
                    : new Charts.Output(Path.of(chartDir), "./shoal bench " + String.join(" ", args), runAt() + " on " + machine());
            PrintStream out = outFile == null ? System.out : tee(Path.of(outFile));
            header(out, args);
            switch (args[0]) {
                case "produce" -> ProduceBench.main(options, out);
                case "commit-protocols" -> CommitProtocolsBench.main(options, out);
                case "e2e" -> EndToEndBench.main(options, out, charts);
                case "backlog" -> BacklogBench.main(options, out);
                case "fifo" -> FifoBench.main(options, out);
                case "sdk" -> SdkBench.main(options, out, charts);
                case "sqs" -> SqsFaceBench.main(options, out, charts);
                case "all" -> All.main(options, out, charts);
                default -> throw new Options.UsageException("unknown command '" + args[0] + "'");
            }
            out.flush();
        } catch (Options.UsageException e) {
            System.err.println("bench: " + e.getMessage());
            System.err.println();
            System.err.print(USAGE);
            System.exit(2);
        }
        System.exit(0); // the emulators leave non-daemon threads behind
    }

    private static PrintStream tee(Path file) throws IOException {
        PrintStream fileOut = new PrintStream(Files.newOutputStream(file, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND), true, java.nio.charset.StandardCharsets.UTF_8);
        PrintStream console = System.out;
        return new PrintStream(new java.io.OutputStream() {
            @Override
            public void write(int b) {
                console.write(b);
                fileOut.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                console.write(b, off, len);
                fileOut.write(b, off, len);
            }

            @Override
            public void flush() {
                console.flush();
                fileOut.flush();
            }
        }, true, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** What ran, when, and on what: the lines BENCHMARKS.md puts above each table. */
    static void header(PrintStream out, String[] args) {
        out.println("Command: `./shoal bench " + String.join(" ", args) + "`");
        out.println();
        out.println("Run " + runAt() + " on " + machine() + "; embedded DynamoDB Local 3.3.1 (server mode, loopback HTTP) and S3Proxy 4.1.0 (in memory); SDK HTTP client "
                + BenchStack.HttpClientChoice.current().name().toLowerCase().replace('_', '-') + ".");
        out.println();
    }

    static String runAt() {
        return OffsetDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"));
    }

    static String machine() {
        Runtime rt = Runtime.getRuntime();
        long memory = 0;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            memory = os.getTotalMemorySize();
        }
        return rt.availableProcessors() + " vCPU (" + cpuModel() + "), " + Math.round(memory / (double) (1L << 30)) + " GiB, "
                + System.getProperty("java.vm.vendor") + " JDK " + Runtime.version() + ", heap max "
                + Math.round(rt.maxMemory() / (double) (1L << 30)) + " GiB";
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown CPU");
        } catch (IOException | RuntimeException e) {
            return "unknown CPU";
        }
    }

    static void progress(String format, Object... args) {
        System.err.printf("[bench %tT] %s%n", System.currentTimeMillis(), String.format(format, args));
    }

    static void joinAll(List<Thread> threads) {
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }
}
