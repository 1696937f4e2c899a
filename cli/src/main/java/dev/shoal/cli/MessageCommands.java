package dev.shoal.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** Message commands: send, receive, tail, peek. */
final class MessageCommands {

    private MessageCommands() {
    }

    /** One line for people: id, body, then attributes and group when there are any. */
    static String describe(JsonNode m) {
        StringBuilder b = new StringBuilder(m.path("id").asText()).append("  ");
        b.append(m.hasNonNull("body") ? m.path("body").asText() : "(base64) " + m.path("bodyBase64").asText());
        List<String> extra = new ArrayList<>();
        m.path("attributes").properties().forEach(e -> extra.add(e.getKey() + "=" + e.getValue().path(
                e.getValue().has("value") ? "value" : "valueBase64").asText()));
        if (m.hasNonNull("groupId")) extra.add("group=" + m.path("groupId").asText());
        if (m.has("receiveCount") && m.path("receiveCount").asInt() > 1) extra.add("receives=" + m.path("receiveCount").asInt());
        return extra.isEmpty() ? b.toString() : b.append("  {").append(String.join(", ", extra)).append('}').toString();
    }

    static String consumerPath(String queue, String subscription, String action) {
        return subscription.equals("default") ? ApiClient.path("queues", queue, action)
                : ApiClient.path("queues", queue, "subscriptions", subscription, action);
    }

    @Command(name = "send", mixinStandardHelpOptions = true,
            description = "Send messages: each argument is one, or with none, each line of standard input is one.")
    static final class Send implements Callable<Integer> {
        @ParentCommand ShoalCli cli;
        @Parameters(index = "0", paramLabel = "QUEUE") String queue;
        @Parameters(index = "1..*", paramLabel = "MESSAGE", description = "message bodies (default: read standard input, one per line)")
        List<String> messages = List.of();
        @Option(names = {"-a", "--attribute"}, paramLabel = "NAME=VALUE", description = "a String attribute on every message")
        Map<String, String> attributes = Map.of();
        @Option(names = "--group", description = "message group (required on FIFO queues)") String group;
        @Option(names = "--batch", description = "messages per call, 1-1000 (default 100)") int batch = 100;

        @Override
        public Integer call() {
            if (batch < 1 || batch > 1000) throw new CliException(CliException.USAGE, "--batch must be 1-1000, was " + batch);
            List<String> bodies = messages.isEmpty() ? readLines() : messages;
            ApiClient api = cli.api();
            Progress progress = cli.progress("messages", bodies.size());
            ArrayNode ids = ApiClient.JSON.createArrayNode();
            for (int from = 0; from < bodies.size(); from += batch) {
                ObjectNode body = ApiClient.object();
                ArrayNode list = body.putArray("messages");
                for (String text : bodies.subList(from, Math.min(bodies.size(), from + batch))) {
                    ObjectNode m = list.addObject().put("body", text);
                    if (group != null) m.put("groupId", group);
                    if (!attributes.isEmpty()) {
                        ObjectNode a = m.putObject("attributes");
                        attributes.forEach((k, v) -> a.putObject(k).put("type", "String").put("value", v));
                    }
                }
                for (JsonNode r : api.post(ApiClient.path("queues", queue, "messages"), body).path("results")) ids.add(r);
                progress.update(ids.size());
            }
            progress.finish();
            Output out = cli.output();
            out.result(ApiClient.object().put("queue", queue).set("results", ids), () -> out.line("sent " + ids.size() + " message(s) to "
                    + queue + (ids.isEmpty() ? "" : " (" + ids.get(0).path("id").asText()
                    + (ids.size() > 1 ? " .. " + ids.get(ids.size() - 1).path("id").asText() : "") + ")")));
            return 0;
        }

        private List<String> readLines() {
            try {
                BufferedReader in = new BufferedReader(new InputStreamReader(cli.stdin(), StandardCharsets.UTF_8));
                List<String> lines = in.lines().filter(l -> !l.isEmpty()).toList();
                if (lines.isEmpty()) {
                    throw new CliException(CliException.USAGE, "nothing to send: give messages as arguments or lines on standard input");
                }
                return lines;
            } catch (UncheckedIOException e) {
                throw new CliException(CliException.USAGE, "cannot read standard input: " + e.getMessage());
            }
        }
    }

    /** Options shared by receive and tail. */
    static class ConsumeOptions {
        @Option(names = {"-s", "--subscription"}, description = "subscription (default: default)") String subscription = "default";
        @Option(names = "--ack", description = "acknowledge what was printed (default: leave it, to be delivered again after the visibility timeout)")
        boolean ack;
        @Option(names = "--visibility-timeout", description = "lease for these messages (default: the subscription's)") String visibilityTimeout;

        JsonNode receive(ShoalCli cli, ApiClient api, String queue, int max, String wait) {
            ObjectNode body = ApiClient.object().put("maxMessages", max).put("waitTime", wait);
            if (visibilityTimeout != null) body.put("visibilityTimeout", visibilityTimeout);
            JsonNode messages = api.post(consumerPath(queue, subscription, "receive"), body).path("messages");
            if (ack && !messages.isEmpty()) {
                ObjectNode receipts = ApiClient.object();
                ArrayNode list = receipts.putArray("receipts");
                messages.forEach(m -> list.add(m.path("receipt").asText()));
                api.post(consumerPath(queue, subscription, "ack"), receipts);
            }
            return messages;
        }
    }

    @Command(name = "receive", mixinStandardHelpOptions = true, description = "Receive messages once (a lease; --ack to acknowledge them).")
    static final class Receive extends ConsumeOptions implements Callable<Integer> {
        @ParentCommand ShoalCli cli;
        @Parameters(paramLabel = "QUEUE") String queue;
        @Option(names = {"-n", "--max"}, description = "1-1000 (default 10)") int max = 10;
        @Option(names = "--wait", description = "long poll up to this long, 0s-20s (default 0s)") String wait = "0s";

        @Override
        public Integer call() {
            JsonNode messages = receive(cli, cli.api(), queue, max, wait);
            Output out = cli.output();
            out.result(messages, () -> {
                if (messages.isEmpty()) out.line("no messages");
                messages.forEach(m -> out.line(describe(m)));
            });
            return 0;
        }
    }

    @Command(name = "tail", mixinStandardHelpOptions = true,
            description = "Print messages as they come: until the queue is empty, or with -f until interrupted.")
    static final class Tail extends ConsumeOptions implements Callable<Integer> {
        @ParentCommand ShoalCli cli;
        @Parameters(paramLabel = "QUEUE") String queue;
        @Option(names = {"-f", "--follow"}, description = "keep waiting for new messages") boolean follow;
        @Option(names = {"-n", "--limit"}, description = "stop after this many messages") long limit = Long.MAX_VALUE;

        @Override
        public Integer call() {
            ApiClient api = cli.api();
            Output out = cli.output();
            long seen = 0;
            while (seen < limit) {
                int max = (int) Math.min(100, limit - seen);
                JsonNode messages = receive(cli, api, queue, max, follow ? "20s" : "1s");
                if (messages.isEmpty() && !follow) break;
                for (JsonNode m : messages) {
                    out.item(m, describe(m));
                    seen++;
                }
            }
            return 0;
        }
    }

    @Command(name = "peek", mixinStandardHelpOptions = true,
            description = "Look at retained messages without leasing them (acked ones too: this reads the log).")
    static final class Peek implements Callable<Integer> {
        @ParentCommand ShoalCli cli;
        @Parameters(paramLabel = "QUEUE") String queue;
        @Option(names = {"-p", "--partition"}, description = "only this partition (default: each in turn)") Integer partition;
        @Option(names = "--offset", description = "from this offset (default: the oldest retained); needs --partition") Long offset;
        @Option(names = {"-n", "--max"}, description = "at most this many, 1-100 (default 10)") int max = 10;

        @Override
        public Integer call() {
            if (offset != null && partition == null) throw new CliException(CliException.USAGE, "--offset needs --partition");
            if (max < 1 || max > 100) throw new CliException(CliException.USAGE, "--max must be 1-100, was " + max);
            ApiClient api = cli.api();
            int partitions = partition != null ? 1 : api.get(ApiClient.path("queues", queue)).path("settings").path("partitions").asInt(1);
            ArrayNode messages = ApiClient.JSON.createArrayNode();
            for (int i = 0; i < partitions && messages.size() < max; i++) {
                int p = partition != null ? partition : i;
                String query = "?partition=" + p + "&max=" + (max - messages.size()) + (offset == null ? "" : "&offset=" + offset);
                api.get(ApiClient.path("queues", queue, "messages") + query).path("messages").forEach(messages::add);
            }
            Output out = cli.output();
            out.result(messages, () -> {
                if (messages.isEmpty()) out.line("no retained messages");
                messages.forEach(m -> out.line(describe(m)));
            });
            return 0;
        }
    }
}
