package dev.shoal.functions.api.v1;

import dev.shoal.functions.api.HttpRequest;
import dev.shoal.functions.api.HttpResponse;
import dev.shoal.functions.api.Json;
import dev.shoal.functions.api.v1.Requests.SubscriptionBody;
import dev.shoal.functions.api.v1.Responses.SubscriptionList;
import dev.shoal.storage.api.NotFoundException;
import dev.shoal.storage.api.QueueService;
import dev.shoal.storage.api.SubscriptionDescription;
import dev.shoal.storage.api.SubscriptionSettings;


/** Subscriptions of a queue: create or update, describe, list, delete. */
final class SubscriptionResource {

    private final QueueService service;

    SubscriptionResource(QueueService service) {
        this.service = service;
    }

    HttpResponse list(String queue) {
        return QueueResource.ok(200, new SubscriptionList(service.listSubscriptions(queue).stream().map(SettingsCodec::view).toList()));
    }

    /** Creates the subscription (201) or replaces its settings (200); fields not given take their defaults. */
    HttpResponse put(String queue, String name, HttpRequest r) {
        SubscriptionBody body = r.body().length == 0 ? new SubscriptionBody(null, null, null, null)
                : Json.read(r.body(), SubscriptionBody.class);
        SubscriptionSettings settings = SettingsCodec.subscriptionSettings(body);
        PutPrecondition precondition = PutPrecondition.of(r);
        boolean exists;
        try {
            service.describeSubscription(queue, name);
            exists = true;
        } catch (NotFoundException e) {
            if (!"SubscriptionNotFound".equals(e.code()) || precondition == PutPrecondition.UPDATE_ONLY) {
                throw e; // the queue itself is missing, or only an update was asked for
            }
            exists = false;
        }
        SubscriptionDescription d = exists && precondition != PutPrecondition.CREATE_ONLY
                ? service.updateSubscription(queue, name, settings)
                : service.createSubscription(queue, name, settings);
        return QueueResource.ok(exists ? 200 : 201, SettingsCodec.view(d));
    }

    HttpResponse get(String queue, String name) {
        return QueueResource.ok(200, SettingsCodec.view(service.describeSubscription(queue, name)));
    }

    HttpResponse delete(String queue, String name) {
        service.deleteSubscription(queue, name);
        return HttpResponse.noContent();
    }
}
