package dev.shoal.client.internal.http;

import dev.shoal.client.internal.ClientFactory.HttpOptions;
import dev.shoal.client.internal.Transport;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Builds the HTTP transport: credentials, region, JDK HttpClient; adds what it creates to {@code owned}. */
public final class HttpTransports {

    private static final Pattern EXECUTE_API_HOST = Pattern.compile("[^.]+\\.execute-api\\.([a-z0-9-]+)\\.amazonaws\\.com(\\.cn)?");
    /** Loopback endpoints (the local launcher) check no signature; any region will do there. */
    private static final String LOCAL_REGION = "us-east-1";

    private HttpTransports() {
    }

    public static Transport create(HttpOptions o, List<AutoCloseable> owned) {
        Objects.requireNonNull(o.endpoint(), "endpoint");
        String scheme = o.endpoint().getScheme();
        if (!"https".equals(scheme) && !"http".equals(scheme)) {
            throw new IllegalArgumentException("endpoint must be an http(s) URL, was " + o.endpoint());
        }
        AwsCredentialsProvider credentials = o.credentials();
        if (credentials == null) {
            DefaultCredentialsProvider chain = DefaultCredentialsProvider.builder().build();
            owned.add(chain);
            credentials = chain;
        }
        HttpClient client = o.httpClient();
        if (client == null) {
            client = HttpClient.newBuilder()
                    .connectTimeout(o.connectTimeout())
                    // API Gateway speaks HTTP/2 over TLS; plain http (the local launcher) is HTTP/1.1 only
                    .version("https".equals(scheme) ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1)
                    .build();
            owned.add(client);
        }
        RequestSigner signer = new RequestSigner(credentials, region(o.endpoint(), o.region()), Clock.systemUTC());
        return new HttpTransport(o.endpoint(), client, signer, o.requestTimeout());
    }

    /** The given region; else the one in an execute-api host name; else the SDK's chain; else, for loopback, any. */
    static String region(URI endpoint, String given) {
        if (given != null) {
            return given;
        }
        String host = endpoint.getHost() == null ? "" : endpoint.getHost();
        Matcher m = EXECUTE_API_HOST.matcher(host);
        if (m.matches()) {
            return m.group(1);
        }
        try {
            return new DefaultAwsRegionProviderChain().getRegion().id();
        } catch (RuntimeException e) {
            if (isLoopback(host)) {
                return LOCAL_REGION;
            }
            throw new IllegalStateException("no region to sign requests for " + endpoint + ": set region(...) on the builder, "
                    + "or AWS_REGION, or a region in the AWS profile", e);
        }
    }

    private static boolean isLoopback(String host) {
        try {
            return host.equals("localhost") || InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
