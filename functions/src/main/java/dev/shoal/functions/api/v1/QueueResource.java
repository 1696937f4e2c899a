package dev.shoal.functions.api.v1;

import dev.shoal.functions.api.ApiException;
import dev.shoal.functions.api.HttpRequest;
import dev.shoal.functions.api.HttpResponse;
import dev.shoal.functions.api.Json;
import dev.shoal.functions.api.v1.Requests.QueueBody;
import dev.shoal.functions.api.v1.Requests.RedriveBody;
import dev.shoal.functions.api.v1.Responses.QueueList;
import dev.shoal.functions.api.v1.Responses.RedriveView;
import dev.shoal.storage.api.NotFoundException;
import dev.shoal.storage.api.QueueDescription;
import dev.shoal.storage.api.QueueService;
import dev.shoal.storage.api.QueueSettings;
import dev.shoal.storage.api.RedriveRequest;
import dev.shoal.storage.api.RedriveResult;

import java.util.Set;

/** Queues: create or update, describe, list, delete, purge, and redrive of a dead-letter queue. */
final class QueueResource {

    static final int DEFAULT_REDRIVE_MESSAGES = 1_000;
    static final int DEFAULT_REDRIVE_RATE = 100;
    /** A redrive call must finish well inside API Gateway's 30 s integration timeout. */
    static final int MAX_REDRIVE_SECONDS = 25;

    private final QueueService service;

    QueueResource(QueueService service) {
        this.service = service;
    }

    HttpResponse list(HttpRequest r) {
        String prefix = QueryParameters.only(r, Set.of("prefix")).getOrDefault("prefix", "");
        return ok(200, new QueueList(service.listQueues(prefix)));
    }

    /**
     * Creates the queue (201) or replaces its settings (200); fields not given take their
     * defaults. {@code If-None-Match: *} only creates, {@code If-Match: *} only updates.
     */
    HttpResponse put(String queue, HttpRequest r) {
        QueueBody body = r.body().length == 0 ? new QueueBody(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null)
                : Json.read(r.body(), QueueBody.class);
        QueueSettings settings = SettingsCodec.queueSettings(queue, body);
        PutPrecondition precondition = PutPrecondition.of(r);
        boolean exists;
        try {
            // what the SQS face keeps (tags, Policy) is not the native API's to replace
            settings = settings.toBuilder().faceAttributes(service.describeQueue(queue).settings().faceAttributes()).build();
            exists = true;
        } catch (NotFoundException e) {
            if (precondition == PutPrecondition.UPDATE_ONLY) throw e;
            exists = false;
        }
        QueueDescription d = exists && precondition != PutPrecondition.CREATE_ONLY
                ? service.updateQueue(queue, settings)
                : service.createQueue(queue, settings); // same settings: a no-op; other settings: QueueAlreadyExists
        return ok(exists ? 200 : 201, SettingsCodec.view(d));
    }

    HttpResponse get(String queue) {
        return ok(200, SettingsCodec.view(service.describeQueue(queue)));
    }

    HttpResponse delete(String queue) {
        service.deleteQueue(queue);
        return HttpResponse.noContent();
    }

    HttpResponse purge(String queue) {
        service.purgeQueue(queue);
        return HttpResponse.noContent();
    }

    /** Moves up to maxMessages dead letters back; {@code remaining} says whether to call again. */
    HttpResponse redrive(String deadLetterQueue, HttpRequest r) {
        RedriveBody body = r.body().length == 0 ? new RedriveBody(null, null, null) : Json.read(r.body(), RedriveBody.class);
        RedriveRequest request = new RedriveRequest(body.targetQueue(),
                body.maxMessages() != null ? body.maxMessages() : DEFAULT_REDRIVE_MESSAGES,
                body.maxPerSecond() != null ? body.maxPerSecond() : DEFAULT_REDRIVE_RATE);
        if ((double) request.maxMessages() / request.maxPerSecond() > MAX_REDRIVE_SECONDS) {
            throw ApiException.invalid("maxMessages", "at " + request.maxPerSecond() + " per second, " + request.maxMessages()
                    + " messages would take longer than the API's " + MAX_REDRIVE_SECONDS + " s budget; lower maxMessages to at most "
                    + (long) request.maxPerSecond() * MAX_REDRIVE_SECONDS + " (or raise maxPerSecond) and call again while remaining is true");
        }
        RedriveResult result = service.redrive(deadLetterQueue, request);
        return ok(200, new RedriveView(result.moved(), result.remaining()));
    }

    static HttpResponse ok(int status, Object body) {
        return HttpResponse.json(status, Json.write(body), HttpResponse.JSON);
    }
}
