package dev.shoal.functions.api.v1;

import dev.shoal.functions.api.ApiException;
import dev.shoal.functions.api.Durations;
import dev.shoal.functions.api.HttpRequest;
import dev.shoal.functions.api.HttpResponse;
import dev.shoal.functions.api.Json;
import dev.shoal.functions.api.v1.Requests.AckBody;
import dev.shoal.functions.api.v1.Requests.NackBody;
import dev.shoal.functions.api.v1.Requests.NackEntryBody;
import dev.shoal.functions.api.v1.Requests.ProduceBody;
import dev.shoal.functions.api.v1.Requests.ReceiveBody;
import dev.shoal.functions.api.v1.Requests.SeekBody;
import dev.shoal.functions.api.v1.Requests.VisibilityBody;
import dev.shoal.functions.api.v1.Requests.VisibilityEntryBody;
import dev.shoal.functions.api.v1.Responses.ProduceResult;
import dev.shoal.functions.api.v1.Responses.Produced;
import dev.shoal.functions.api.v1.Responses.ReceiptOutcome;
import dev.shoal.functions.api.v1.Responses.ReceiptResults;
import dev.shoal.functions.api.v1.Responses.ReceiveResult;
import dev.shoal.storage.api.Limits;
import dev.shoal.storage.api.NackEntry;
import dev.shoal.storage.api.ProduceRequest;
import dev.shoal.storage.api.QueueService;
import dev.shoal.storage.api.ReceiptResult;
import dev.shoal.storage.api.ReceiveRequest;
import dev.shoal.storage.api.SeekTarget;
import dev.shoal.storage.api.ShoalException;
import dev.shoal.storage.api.VisibilityChange;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Producing, and what consumers do on a subscription: receive, ack, nack, visibility, seek. */
final class ConsumerResource {

    static final int MAX_RECEIPTS = Limits.MAX_RECEIVE_MESSAGES;

    private final QueueService service;

    ConsumerResource(QueueService service) {
        this.service = service;
    }

    HttpResponse produce(String queue, HttpRequest r) {
        ProduceRequest request = MessageCodec.produceRequest(Json.read(r.body(), ProduceBody.class));
        List<Produced> results = service.produce(queue, request).stream()
                .map(p -> new Produced(p.id().toString(), p.duplicate())).toList();
        return QueueResource.ok(200, new ProduceResult(results));
    }

    HttpResponse act(String queue, String subscription, String action, HttpRequest r) {
        return switch (action) {
            case "receive" -> receive(queue, subscription, r);
            case "ack" -> ack(queue, subscription, r);
            case "nack" -> nack(queue, subscription, r);
            case "visibility" -> visibility(queue, subscription, r);
            case "seek" -> seek(queue, subscription, r);
            default -> throw new IllegalArgumentException(action);
        };
    }

    private HttpResponse receive(String queue, String subscription, HttpRequest r) {
        ReceiveBody body = r.body().length == 0 ? new ReceiveBody(null, null, null, null) : Json.read(r.body(), ReceiveBody.class);
        ReceiveRequest request = new ReceiveRequest(
                body.maxMessages() != null ? body.maxMessages() : 1,
                Durations.parse("visibilityTimeout", body.visibilityTimeout()),
                Durations.parse("waitTime", body.waitTime()),
                body.receiveAttemptId());
        return QueueResource.ok(200, new ReceiveResult(
                service.receive(queue, subscription, request).stream().map(MessageCodec::view).toList()));
    }

    private HttpResponse ack(String queue, String subscription, HttpRequest r) {
        List<String> receipts = Json.read(r.body(), AckBody.class).receipts();
        checkEntries("receipts", receipts);
        for (int i = 0; i < receipts.size(); i++) {
            checkReceipt("receipts[" + i + "]", receipts.get(i));
        }
        return outcomes(service.ack(queue, subscription, receipts));
    }

    private HttpResponse nack(String queue, String subscription, HttpRequest r) {
        List<NackEntryBody> entries = Json.read(r.body(), NackBody.class).entries();
        List<NackEntry> out = entries(entries, (at, e) -> {
            checkReceipt(at + ".receipt", e.receipt());
            return new NackEntry(e.receipt(), Durations.parse(at + ".delay", e.delay()));
        });
        return outcomes(service.nack(queue, subscription, out));
    }

    private HttpResponse visibility(String queue, String subscription, HttpRequest r) {
        List<VisibilityEntryBody> entries = Json.read(r.body(), VisibilityBody.class).entries();
        List<VisibilityChange> out = entries(entries, (at, e) -> {
            checkReceipt(at + ".receipt", e.receipt());
            Duration timeout = Durations.parse(at + ".visibilityTimeout", e.visibilityTimeout());
            if (timeout == null) {
                throw ApiException.invalid(at + ".visibilityTimeout", "is required: 0s to " + Limits.human(Limits.MAX_VISIBILITY_TIMEOUT));
            }
            return new VisibilityChange(e.receipt(), timeout);
        });
        return outcomes(service.changeVisibility(queue, subscription, out));
    }

    private HttpResponse seek(String queue, String subscription, HttpRequest r) {
        SeekBody body = Json.read(r.body(), SeekBody.class);
        int given = (body.to() != null ? 1 : 0) + (body.time() != null ? 1 : 0) + (body.offsets() != null ? 1 : 0);
        if (given != 1) {
            throw ApiException.invalid("to", "give exactly one of to (\"earliest\" or \"latest\"), time (an ISO-8601 instant) and offsets ({\"<partition>\": <offset>})");
        }
        SeekTarget target;
        if (body.to() != null) {
            target = switch (body.to()) {
                case "earliest" -> SeekTarget.earliest();
                case "latest" -> SeekTarget.latest();
                default -> throw ApiException.invalid("to", "must be \"earliest\" or \"latest\", was \"" + body.to() + "\"");
            };
        } else if (body.time() != null) {
            try {
                target = SeekTarget.time(Instant.parse(body.time()));
            } catch (DateTimeParseException e) {
                throw ApiException.invalid("time", "must be an ISO-8601 instant such as 2026-01-31T12:00:00Z, was \"" + body.time() + "\"");
            }
        } else {
            Map<Integer, Long> offsets = new LinkedHashMap<>();
            body.offsets().forEach((p, o) -> {
                try {
                    offsets.put(Integer.parseInt(p), o);
                } catch (NumberFormatException e) {
                    throw ApiException.invalid("offsets", "keys are partition numbers, was \"" + p + "\"");
                }
                if (o == null) throw ApiException.invalid("offsets." + p, "must be an offset, 0 or more");
            });
            target = SeekTarget.offsets(offsets);
        }
        service.seek(queue, subscription, target);
        return HttpResponse.noContent();
    }

    private interface EntryParser<T, R> {
        R parse(String at, T entry);
    }

    private static <T, R> List<R> entries(List<T> entries, EntryParser<T, R> parser) {
        checkEntries("entries", entries);
        List<R> out = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            T e = entries.get(i);
            if (e == null) throw ApiException.invalid("entries[" + i + "]", "must be an object with a receipt");
            out.add(parser.parse("entries[" + i + "]", e));
        }
        return out;
    }

    private static void checkEntries(String field, List<?> entries) {
        if (entries == null || entries.isEmpty()) {
            throw ApiException.invalid(field, "is required: 1 to " + MAX_RECEIPTS + " entries");
        }
        if (entries.size() > MAX_RECEIPTS) {
            throw ApiException.invalid(field, "at most " + MAX_RECEIPTS + " entries per call, was " + entries.size());
        }
    }

    private static void checkReceipt(String field, String receipt) {
        if (receipt == null || receipt.isBlank()) {
            throw ApiException.invalid(field, "is required: a receipt from a receive");
        }
    }

    /**
     * 200 when every entry succeeded; when every entry failed, the first failure's status (nothing
     * changed); when some failed, 207 (the entries with ok=true were applied). Always per-entry results.
     */
    private static HttpResponse outcomes(List<ReceiptResult> results) {
        List<ReceiptOutcome> out = results.stream().map(ConsumerResource::outcome).toList();
        List<ShoalException> failures = results.stream().flatMap(x -> x.failure().stream()).toList();
        if (failures.isEmpty()) {
            return QueueResource.ok(200, new ReceiptResults(null, null, out));
        }
        ShoalException first = failures.getFirst();
        if (failures.size() == results.size()) {
            String message = results.size() == 1 ? first.getMessage()
                    : "all " + results.size() + " entries failed; nothing was changed. First: " + first.getMessage();
            return QueueResource.ok(NativeErrors.status(first), new ReceiptResults(first.code(), message, out));
        }
        return QueueResource.ok(207, new ReceiptResults("PartialFailure",
                failures.size() + " of " + results.size() + " entries failed (see results); the others were applied", out));
    }

    private static ReceiptOutcome outcome(ReceiptResult r) {
        return r.failure()
                .map(e -> new ReceiptOutcome(r.receipt(), false, e.code(), e.getMessage(), NativeErrors.field(e)))
                .orElseGet(() -> new ReceiptOutcome(r.receipt(), true, null, null, null));
    }

}
