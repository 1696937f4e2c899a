package dev.shoal.client.internal;

import dev.shoal.client.DirectConfig;
import dev.shoal.client.RetryOptions;
import dev.shoal.client.ShoalClient;
import dev.shoal.client.ShoalMetrics;
import dev.shoal.client.internal.direct.DirectTransport;
import dev.shoal.client.internal.http.HttpTransports;
import dev.shoal.storage.api.QueueService;
import dev.shoal.storage.api.Sleeper;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Wires a client from the builder's choices. The only place that picks the system clock and sleeper. */
public final class ClientFactory {

    private ClientFactory() {
    }

    /** The HTTP transport's options, as the builder collected them (nulls mean "the default"). */
    public record HttpOptions(URI endpoint, String region, AwsCredentialsProvider credentials, HttpClient httpClient,
                              Duration requestTimeout, Duration connectTimeout) {
    }

    public static ShoalClient http(HttpOptions options, RetryOptions retry, ShoalMetrics metrics) {
        List<AutoCloseable> owned = new ArrayList<>();
        Transport transport = HttpTransports.create(options, owned);
        return new DefaultShoalClient(transport, new Calls(retry, metrics, Sleeper.SYSTEM), owned);
    }

    public static ShoalClient direct(DirectConfig config, RetryOptions retry, ShoalMetrics metrics) {
        return new DefaultShoalClient(DirectTransport.of(config), new Calls(retry, metrics, Sleeper.SYSTEM), List.of());
    }

    public static ShoalClient engine(QueueService engine, RetryOptions retry, ShoalMetrics metrics) {
        return new DefaultShoalClient(new DirectTransport(engine), new Calls(retry, metrics, Sleeper.SYSTEM), List.of());
    }
}
