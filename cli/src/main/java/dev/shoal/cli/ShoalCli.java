package dev.shoal.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

import java.io.Console;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.util.Map;

/**
 * {@code shoal}: queues, messages, subscriptions, seek, redrive and purge over the native API
 * ({@code ./shoal cli ...}). Human output by default, {@code --json} for scripts; exit codes are
 * those of {@link CliException}. The endpoint is the local stack unless {@code --endpoint} or
 * {@code SHOAL_ENDPOINT} names another; requests to an endpoint off this machine are signed with
 * SigV4 from the usual AWS credentials chain (environment, profile, SSO, instance role).
 */
@Command(name = "shoal", mixinStandardHelpOptions = true, version = "shoal 0.1",
        description = "Operate Shoal queues over the native API.",
        subcommands = {
                QueueCommands.Queues.class, QueueCommands.Create.class, QueueCommands.Describe.class, QueueCommands.Delete.class,
                QueueCommands.Purge.class, MessageCommands.Send.class, MessageCommands.Receive.class, MessageCommands.Tail.class,
                MessageCommands.Peek.class, SubscriptionCommands.Subscriptions.class, SubscriptionCommands.Seek.class,
                SubscriptionCommands.Redrive.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:the API refused the call (the message says what to change)", "2:bad usage",
                "3:queue or subscription not found", "4:the API could not be reached or failed; retry"})
public final class ShoalCli {

    static final String DEFAULT_ENDPOINT = "http://127.0.0.1:8080";

    @Option(names = "--endpoint", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "the API (default: $SHOAL_ENDPOINT, else " + DEFAULT_ENDPOINT + ", the local stack)")
    String endpoint;

    @Option(names = "--region", scope = ScopeType.INHERIT,
            description = "region to sign for (default: $AWS_REGION, $AWS_DEFAULT_REGION, else us-east-1)")
    String region;

    @Option(names = "--sign", negatable = true, scope = ScopeType.INHERIT,
            description = "sign requests with SigV4 (default: only for endpoints off this machine)")
    Boolean sign;

    @Option(names = "--json", scope = ScopeType.INHERIT, description = "print JSON for scripts instead of text")
    boolean json;

    @Option(names = "--progress", negatable = true, scope = ScopeType.INHERIT,
            description = "draw a progress bar on long operations (default: when the terminal is interactive)")
    Boolean progress;

    private final Map<String, String> env;
    private final InputStream stdin;
    private PrintWriter out;
    private PrintWriter err;

    ShoalCli(Map<String, String> env, InputStream stdin) {
        this.env = env;
        this.stdin = stdin;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.in, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs one command line; returns its exit code. */
    static int run(String[] args, Map<String, String> env, InputStream stdin, PrintWriter out, PrintWriter err) {
        ShoalCli cli = new ShoalCli(env, stdin);
        cli.out = out;
        cli.err = err;
        CommandLine line = new CommandLine(cli);
        line.setOut(out);
        line.setErr(err);
        line.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof CliException c) {
                err.println("shoal " + cmd.getCommandName() + ": " + c.getMessage());
                err.flush();
                return c.exitCode();
            }
            throw e;
        });
        return line.execute(args);
    }

    ApiClient api() {
        String url = endpoint != null ? endpoint : env.getOrDefault("SHOAL_ENDPOINT", DEFAULT_ENDPOINT);
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new CliException(CliException.USAGE, "--endpoint must be a URL such as " + DEFAULT_ENDPOINT + ", was '" + url + "'");
        }
        if (uri.getHost() == null || !(url.startsWith("http://") || url.startsWith("https://"))) {
            throw new CliException(CliException.USAGE, "--endpoint must be an http(s) URL such as " + DEFAULT_ENDPOINT + ", was '" + url + "'");
        }
        boolean local = uri.getHost().equals("127.0.0.1") || uri.getHost().equals("localhost") || uri.getHost().equals("[::1]");
        boolean signed = sign != null ? sign : !local;
        String r = region != null ? region : env.getOrDefault("AWS_REGION", env.getOrDefault("AWS_DEFAULT_REGION", "us-east-1"));
        return new ApiClient(uri, signed ? DefaultCredentialsProvider.builder().build() : null, r);
    }

    Output output() {
        return new Output(out, json);
    }

    PrintWriter err() {
        return err;
    }

    InputStream stdin() {
        return stdin;
    }

    Progress progress(String unit, long total) {
        boolean on = progress != null ? progress : interactive() && !json;
        return new Progress(err, on, unit, total);
    }

    /**
     * Whether a person is at a terminal. From JDK 22 on, {@code System.console()} exists even when
     * the streams are redirected and {@code isTerminal()} tells; on JDK 21 a console exists only
     * for a terminal. (Called reflectively: the module compiles for 21.)
     */
    private static boolean interactive() {
        Console console = System.console();
        if (console == null) return false;
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException jdk21) {
            return true;
        }
    }
}
