package dev.shoal.it.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shoal.functions.local.LauncherOptions;
import dev.shoal.functions.local.LocalLauncher;
import dev.shoal.it.dispatch.TargetServer.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code ./shoal local} pushes to an HTTP target set up through the native API, as docs/triggers.md shows. */
class LauncherPushTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path data;

    @Test
    void theLauncherPushesMessagesToAnHttpTargetConfiguredThroughTheNativeApi() throws Exception {
        try (LocalLauncher shoal = LocalLauncher.start(LauncherOptions.defaults().withPort(0).withDataDir(data));
             TargetServer target = TargetServer.start((n, event) -> Reply.ok("{\"batchItemFailures\":[]}"))) {
            URI api = shoal.endpoint();
            assertEquals(201, send(api, "PUT", "/v1/queues/orders", ""));
            assertEquals(201, send(api, "PUT", "/v1/queues/orders/subscriptions/webhook",
                    "{\"push\": {\"target\": \"" + target.url() + "\", \"batchSize\": 10, \"batchingWindow\": \"0s\"}}"));
            assertEquals(200, send(api, "POST", "/v1/queues/orders/messages",
                    "{\"messages\": [{\"body\": \"hello\"}, {\"body\": \"world\"}]}"));

            await().atMost(Duration.ofSeconds(20)).until(() -> target.messagesOfAnsweredRequests().size() >= 2);

            assertEquals(List.of("hello", "world"), target.messagesOfAnsweredRequests().stream().map(m -> m.path("body").asText()).toList());
            JsonNode first = target.requests().getFirst().messages().getFirst();
            assertEquals("arn:aws:sqs:us-east-1:000000000000:orders", first.path("eventSourceARN").asText(), "SQS's event, the default");
            assertEquals("us-east-1", first.path("awsRegion").asText());
        }
    }

    private static int send(URI api, String method, String path, String json) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(api.resolve(path)).header("content-type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
