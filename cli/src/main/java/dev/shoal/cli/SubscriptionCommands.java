package dev.shoal.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** Subscription commands: list, seek, and redrive of a dead-letter queue. */
final class SubscriptionCommands {

    private SubscriptionCommands() {
    }

    @Command(name = "subscriptions", mixinStandardHelpOptions = true, description = "List a queue's subscriptions with their counts.")
    static final class Subscriptions implements Callable<Integer> {
        @ParentCommand ShoalCli cli;
        @Parameters(paramLabel = "QUEUE") String queue;

        @Override
        public Integer call() {
            JsonNode subs = cli.api().get(ApiClient.path("queues", queue, "subscriptions")).path("subscriptions");
            Output out = cli.output();
            out.result(subs, () -> {
                List<List<String>> rows = new ArrayList<>();
                for (JsonNode s : subs) {
                    JsonNode st = s.path("stats");
                    JsonNode settings = s.path("settings");
                    rows.add(List.of(s.path("name").asText(), st.path("visible").asText(), st.path("inFlight").asText(),
                            st.path("delayed").asText(), QueueCommands.age(st),
                            settings.has("push") ? "push " + settings.path("push").path("target").asText() : "pull",
                            settings.has("deadLetter") ? settings.path("deadLetter").path("queue").asText() : "-"));
                }
                out.table(List.of("SUBSCRIPTION", "VISIBLE", "IN-FLIGHT", "DELAYED", "OLDEST", "DELIVERY", "DEAD-LETTERS"), rows);
            });
            return 0;
        }
    }

    @Command(name = "seek", mixinStandardHelpOptions = true,
            description = "Move a subscription in the retained log; its messages in flight are released.")
    static final class Seek implements Callable<Integer> {
        @ParentCommand ShoalCli cli;
        @Parameters(paramLabel = "QUEUE") String queue;
        @Option(names = {"-s", "--subscription"}, description = "subscription (default: default)") String subscription = "default";
        @ArgGroup(multiplicity = "1") Target target;

        static final class Target {
            @Option(names = "--to-offset", paramLabel = "OFFSET|P=O[,P=O]",
                    description = "an offset (one-partition queues), or offsets per partition: 0=120,3=0") String offset;
            @Option(names = "--to-time", paramLabel = "TIME", description = "the first message produced at or after this ISO-8601 instant")
            String time;
            @Option(names = "--to", paramLabel = "earliest|latest", description = "the oldest retained message, or after the newest")
            String edge;
        }

        @Override
        public Integer call() {
            ApiClient api = cli.api();
            ObjectNode body = ApiClient.object();
            String where;
            if (target.edge != null) {
                if (!target.edge.equals("earliest") && !target.edge.equals("latest")) {
                    throw new CliException(CliException.USAGE, "--to must be earliest or latest, was '" + target.edge + "'");
                }
                body.put("to", target.edge);
                where = target.edge;
            } else if (target.time != null) {
                try {
                    body.put("time", Instant.parse(target.time).toString());
                } catch (DateTimeParseException e) {
                    throw new CliException(CliException.USAGE, "--to-time must be an ISO-8601 instant such as 2026-01-31T12:00:00Z, was '"
                            + target.time + "'");
                }
                where = target.time;
            } else {
                offsets(api, body.putObject("offsets"));
                where = "offset " + target.offset;
            }
            api.post(MessageCommands.consumerPath(queue, subscription, "seek"), body);
            Output out = cli.output();
            out.result(ApiClient.object().put("queue", queue).put("subscription", subscription).set("seek", body),
                    () -> out.line("moved " + queue + "/" + subscription + " to " + where));
            return 0;
        }

        private void offsets(ApiClient api, ObjectNode offsets) {
            String text = target.offset;
            try {
                if (!text.contains("=")) {
                    int partitions = api.get(ApiClient.path("queues", queue)).path("settings").path("partitions").asInt(1);
                    if (partitions > 1) {
                        throw new CliException(CliException.USAGE, queue + " has " + partitions
                                + " partitions: name each, for example --to-offset 0=" + text + ",1=" + text);
                    }
                    offsets.put("0", Long.parseLong(text));
                    return;
                }
                for (String pair : text.split(",")) {
                    String[] kv = pair.split("=", 2);
                    offsets.put(String.valueOf(Integer.parseInt(kv[0].trim())), Long.parseLong(kv[1].trim()));
                }
            } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                throw new CliException(CliException.USAGE, "--to-offset must be an offset (42) or partition=offset pairs (0=42,1=7), was '"
                        + text + "'");
            }
        }
    }

    @Command(name = "redrive", mixinStandardHelpOptions = true,
            description = "Move the dead letters of a dead-letter queue back to the queues they came from (or --to one queue).")
    static final class Redrive implements Callable<Integer> {
        /** Calls of at most this many seconds each, so the progress bar moves and each call fits the API's 25 s budget. */
        private static final int SECONDS_PER_CALL = 5;

        @ParentCommand ShoalCli cli;
        @Parameters(paramLabel = "DLQ") String deadLetterQueue;
        @Option(names = "--to", paramLabel = "QUEUE", description = "send every dead letter to this queue") String target;
        @Option(names = "--max", description = "move at most this many (default: all)") long max = Long.MAX_VALUE;
        @Option(names = "--rate", description = "messages per second, 1-1000 (default 100)") int rate = 100;

        @Override
        public Integer call() {
            if (rate < 1 || rate > 1000) throw new CliException(CliException.USAGE, "--rate must be 1-1000, was " + rate);
            if (max < 1) throw new CliException(CliException.USAGE, "--max must be 1 or more, was " + max);
            ApiClient api = cli.api();
            long waiting = api.get(ApiClient.path("queues", deadLetterQueue)).path("stats").path("visible").asLong();
            Progress progress = cli.progress("dead letters", Math.min(max, waiting));
            long moved = 0;
            boolean remaining = true;
            while (remaining && moved < max) {
                long chunk = Math.min(Math.min(max - moved, (long) rate * SECONDS_PER_CALL), 10_000);
                ObjectNode body = ApiClient.object().put("maxMessages", chunk).put("maxPerSecond", rate);
                if (target != null) body.put("targetQueue", target);
                JsonNode r = api.post(ApiClient.path("queues", deadLetterQueue, "redrive"), body);
                moved += r.path("moved").asLong();
                remaining = r.path("remaining").asBoolean() && r.path("moved").asLong() > 0;
                progress.update(moved);
            }
            progress.finish();
            long done = moved;
            Output out = cli.output();
            out.result(ApiClient.object().put("queue", deadLetterQueue).put("moved", done),
                    () -> out.line("moved " + done + " dead letter(s) out of " + deadLetterQueue + (target == null ? "" : " to " + target)));
            return 0;
        }
    }
}
