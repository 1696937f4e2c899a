package dev.shoal.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.List;
import java.util.concurrent.Callable;

/** Queue commands: list with counts, create, describe, delete, purge. */
final class QueueCommands {

    private QueueCommands() {
    }

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    /** The oldest unacked age for people: the API's "220408ms" as "3m40s"; "-" when nothing is unacked. */
    static String age(JsonNode stats) {
        if (!stats.hasNonNull("oldestUnackedAge")) return "-";
        String text = stats.path("oldestUnackedAge").asText();
        Matcher m = DURATION.matcher(text);
        if (!m.matches()) return text;
        long ms = Long.parseLong(m.group(1)) * switch (m.group(2)) {
            case "ms" -> 1L;
            case "s" -> 1_000L;
            case "m" -> 60_000L;
            case "h" -> 3_600_000L;
            default -> 86_400_000L;
        };
        long s = ms / 1000;
        if (ms < 1000) return ms + "ms";
        if (s < 60) return String.format(Locale.ROOT, "%.1fs", ms / 1000.0);
        if (s < 3600) return s / 60 + "m" + s % 60 + "s";
        if (s < 86400) return s / 3600 + "h" + s / 60 % 60 + "m";
        return s / 86400 + "d" + s / 3600 % 24 + "h";
    }

    @Command(name = "queues", mixinStandardHelpOptions = true, description = "List queues with their depth, in-flight count and oldest age.")
    static final class Queues implements Callable<Integer> {
        @ParentCommand ShoalCli cli;
        @Option(names = "--prefix", description = "only queues whose name starts with this") String prefix = "";

        @Override
        public Integer call() {
            ApiClient api = cli.api();
            JsonNode names = api.get("/v1/queues" + (prefix.isEmpty() ? "" : "?prefix=" + URLEncoder.encode(prefix, StandardCharsets.UTF_8)))
                    .path("queues");
            ArrayNode queues = ApiClient.JSON.createArrayNode();
            for (JsonNode name : names) {
                queues.add(api.get(ApiClient.path("queues", name.asText())));
            }
            Output out = cli.output();
            out.result(queues, () -> {
                if (queues.isEmpty()) {
                    out.line("no queues" + (prefix.isEmpty() ? "" : " starting with '" + prefix + "'") + "; create one with: shoal create NAME");
                    return;
                }
                List<List<String>> rows = new ArrayList<>();
                for (JsonNode q : queues) {
                    JsonNode s = q.path("stats");
                    rows.add(List.of(q.path("name").asText(), q.path("settings").path("fifo").asBoolean() ? "fifo" : "standard",
                            s.path("visible").asText(), s.path("inFlight").asText(), s.path("delayed").asText(), age(s)));
                }
                out.table(List.of("QUEUE", "KIND", "DEPTH", "IN-FLIGHT", "DELAYED", "OLDEST"), rows);
            });
            return 0;
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a queue (an existing one with the same settings is left alone; with other settings it is refused).")
    static final class Create implements Callable<Integer> {
        @ParentCommand ShoalCli cli;
        @Parameters(paramLabel = "QUEUE", description = "1-80 of A-Za-z0-9_-, ending in .fifo for a FIFO queue") String queue;
        @Option(names = "--partitions", description = "1-256 (default 1)") Integer partitions;
        @Option(names = "--retention", description = "how long messages are kept: 4d, 12h, unlimited (default 4d)") String retention;
        @Option(names = "--visibility-timeout", description = "the default subscription's lease: 30s (default)") String visibilityTimeout;
        @Option(names = "--delivery-delay", description = "every message's default delay, 0s-15m") String deliveryDelay;
        @Option(names = "--dead-letter", paramLabel = "QUEUE", description = "dead-letter queue (must exist)") String deadLetter;
        @Option(names = "--max-receive-count", description = "deliveries before a message is dead-lettered (default 5)") Integer maxReceiveCount;

        @Override
        public Integer call() {
            ObjectNode body = ApiClient.object();
            if (partitions != null) body.put("partitions", partitions);
            if (retention != null) body.put("retention", retention);
            if (visibilityTimeout != null) body.put("visibilityTimeout", visibilityTimeout);
            if (deliveryDelay != null) body.put("deliveryDelay", deliveryDelay);
            if (deadLetter != null) {
                body.putObject("deadLetter").put("queue", deadLetter).put("maxReceiveCount", maxReceiveCount == null ? 5 : maxReceiveCount);
            } else if (maxReceiveCount != null) {
                throw new CliException(CliException.USAGE, "--max-receive-count needs --dead-letter QUEUE");
            }
            JsonNode created = cli.api().send("PUT", ApiClient.path("queues", queue), body, "If-None-Match: *");
            Output out = cli.output();
            out.result(created, () -> out.line("queue " + queue + " is ready (" + created.path("settings").path("partitions").asInt()
                    + " partition(s), retention " + created.path("settings").path("retention").asText() + ")"));
            return 0;
        }
    }

    @Command(name = "describe", mixinStandardHelpOptions = true, description = "Show a queue's settings and counts.")
    static final class Describe implements Callable<Integer> {
        @ParentCommand ShoalCli cli;
        @Parameters(paramLabel = "QUEUE") String queue;

        @Override
        public Integer call() {
            JsonNode q = cli.api().get(ApiClient.path("queues", queue));
            Output out = cli.output();
            out.result(q, () -> {
                JsonNode s = q.path("stats");
                List<List<String>> rows = new ArrayList<>();
                rows.add(List.of("created", q.path("createdAt").asText()));
                rows.add(List.of("depth", s.path("visible").asText() + " visible, " + s.path("inFlight").asText() + " in flight, "
                        + s.path("delayed").asText() + " delayed; oldest " + age(s)));
                q.path("settings").properties().forEach(e -> rows.add(List.of(e.getKey(),
                        e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString())));
                out.table(List.of("queue", q.path("name").asText()), rows);
            });
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Delete a queue with its subscriptions and messages (the janitor removes the data).")
    static final class Delete implements Callable<Integer> {
        @ParentCommand ShoalCli cli;
        @Parameters(paramLabel = "QUEUE") String queue;

        @Override
        public Integer call() {
            cli.api().send("DELETE", ApiClient.path("queues", queue), null, null);
            Output out = cli.output();
            out.result(ApiClient.object().put("deleted", queue), () -> out.line("deleted queue " + queue));
            return 0;
        }
    }

    @Command(name = "purge", mixinStandardHelpOptions = true,
            description = "Drop every message of a queue, for every subscription, and its deduplication window.")
    static final class Purge implements Callable<Integer> {
        @ParentCommand ShoalCli cli;
        @Parameters(paramLabel = "QUEUE") String queue;

        @Override
        public Integer call() {
            cli.api().post(ApiClient.path("queues", queue, "purge"), null);
            Output out = cli.output();
            out.result(ApiClient.object().put("purged", queue), () -> out.line("purged queue " + queue));
            return 0;
        }
    }
}
