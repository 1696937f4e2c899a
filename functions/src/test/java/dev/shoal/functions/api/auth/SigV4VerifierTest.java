package dev.shoal.functions.api.auth;

import dev.shoal.functions.api.HttpRequest;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SigV4VerifierTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final String BODY = "{\"QueueName\":\"orders\"}";
    private final SigV4Verifier verifier = new SigV4Verifier(new AccessKeys(Map.of("AKID", "secret")), "us-east-1", "sqs",
            Clock.fixed(NOW, ZoneOffset.UTC));

    /** Signs as an AWS SDK client would, and returns the request the server sees (lower-case headers). */
    private static HttpRequest signed(String accessKey, String secret, String region, Instant at, String body) {
        SdkHttpRequest request = SdkHttpRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(URI.create("http://127.0.0.1:8080/"))
                .putHeader("Host", "127.0.0.1:8080")
                .putHeader("Content-Type", "application/x-amz-json-1.0")
                .putHeader("X-Amz-Target", "AmazonSQS.CreateQueue")
                .putHeader("amz-sdk-invocation-id", "0f1b7a7e-1111-2222-3333-444455556666")
                .build();
        SdkHttpRequest out = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsCredentialsIdentity.create(accessKey, secret))
                .request(request)
                .payload(ContentStreamProvider.fromUtf8String(body))
                .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "sqs")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(at, ZoneOffset.UTC))).request();
        Map<String, String> headers = new LinkedHashMap<>();
        out.forEachHeader((k, v) -> headers.put(k, String.join(",", v)));
        headers.put("user-agent", "added by a proxy, not signed");
        return new HttpRequest("POST", "/", "", headers, BODY.getBytes(StandardCharsets.UTF_8));
    }

    private String rejection(HttpRequest request) {
        return assertThrows(SigV4Verifier.RejectedException.class, () -> verifier.verify(request, "http")).failure().code();
    }

    @Test
    void requestSignedWithAConfiguredKeyIsAccepted() {
        assertEquals("AKID", verifier.verify(signed("AKID", "secret", "us-east-1", NOW.minusSeconds(30), BODY), "http").accessKeyId());
    }

    /** Signed by botocore 1.43.11 (the aws CLI), which does not sign x-amz-content-sha256, with key test/test. */
    @Test
    void requestSignedByTheAwsCliIsAccepted() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("host", "127.0.0.1:18080");
        headers.put("x-amz-target", "AmazonSQS.ListQueues");
        headers.put("content-type", "application/x-amz-json-1.0");
        headers.put("x-amzn-query-mode", "true");
        headers.put("x-amz-date", "20261122T054320Z");
        headers.put("user-agent", "aws-cli/1.45.11 botocore/1.43.11");
        headers.put("authorization", "AWS4-HMAC-SHA256 Credential=test/20261122/us-east-1/sqs/aws4_request, "
                + "SignedHeaders=content-type;host;x-amz-date;x-amz-target;x-amzn-query-mode, "
                + "Signature=31ed8a72237fa66ccdad3770521b723e53a3c7036d7dd3465e750332f7bc4b8f");
        SigV4Verifier local = new SigV4Verifier(AccessKeys.LOCAL_DEFAULT, "us-east-1", "sqs",
                Clock.fixed(Instant.parse("2026-11-22T05:43:25Z"), ZoneOffset.UTC));
        assertEquals("test", local.verify(new HttpRequest("POST", "/", "", headers, "{}".getBytes(StandardCharsets.UTF_8)), "http").accessKeyId());
        headers.put("x-amzn-query-mode", "false");
        assertThrows(SigV4Verifier.RejectedException.class,
                () -> local.verify(new HttpRequest("POST", "/", "", headers, "{}".getBytes(StandardCharsets.UTF_8)), "http"));
    }

    @Test
    void wrongSecretDoesNotMatch() {
        assertEquals("SignatureDoesNotMatch", rejection(signed("AKID", "guess", "us-east-1", NOW, BODY)));
    }

    @Test
    void alteredBodyDoesNotMatch() {
        HttpRequest good = signed("AKID", "secret", "us-east-1", NOW, BODY);
        HttpRequest altered = new HttpRequest("POST", "/", "", good.headers(), "{\"QueueName\":\"other\"}".getBytes(StandardCharsets.UTF_8));
        assertEquals("SignatureDoesNotMatch", rejection(altered));
    }

    @Test
    void alteredSignedHeaderDoesNotMatch() {
        HttpRequest good = signed("AKID", "secret", "us-east-1", NOW, BODY);
        Map<String, String> headers = new LinkedHashMap<>(good.headers());
        headers.put("x-amz-target", "AmazonSQS.DeleteQueue");
        assertEquals("SignatureDoesNotMatch", rejection(new HttpRequest("POST", "/", "", headers, good.body())));
    }

    @Test
    void unknownAccessKeyIsAnInvalidClientToken() {
        assertEquals("InvalidClientTokenId", rejection(signed("NOBODY", "secret", "us-east-1", NOW, BODY)));
    }

    @Test
    void signatureOlderThanFifteenMinutesHasExpired() {
        HttpRequest old = signed("AKID", "secret", "us-east-1", NOW.minus(Duration.ofMinutes(16)), BODY);
        var e = assertThrows(SigV4Verifier.RejectedException.class, () -> verifier.verify(old, "http"));
        assertEquals("SignatureDoesNotMatch", e.failure().code());
        assertTrue(e.getMessage().contains("expired"), e.getMessage());
    }

    @Test
    void signatureForAnotherRegionIsRejected() {
        assertEquals("SignatureDoesNotMatch", rejection(signed("AKID", "secret", "eu-west-1", NOW, BODY)));
    }

    @Test
    void unsignedRequestIsMissingItsToken() {
        assertEquals("MissingAuthenticationToken", rejection(new HttpRequest("POST", "/", "", Map.of("host", "x"), new byte[0])));
    }

    @Test
    void noKeysConfiguredRefusesEveryone() {
        SigV4Verifier none = new SigV4Verifier(AccessKeys.NONE, "us-east-1", "sqs", Clock.fixed(NOW, ZoneOffset.UTC));
        var e = assertThrows(SigV4Verifier.RejectedException.class, () -> none.verify(signed("AKID", "secret", "us-east-1", NOW, BODY), "http"));
        assertEquals("InvalidClientTokenId", e.failure().code());
    }

    /** AWS's published SigV4 test suite, case get-vanilla. */
    @Test
    void awsTestSuiteGetVanillaVerifies() {
        SigV4Verifier aws = new SigV4Verifier(new AccessKeys(Map.of("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")),
                "us-east-1", "service", Clock.fixed(Instant.parse("2015-08-30T12:36:00Z"), ZoneOffset.UTC));
        Map<String, String> headers = Map.of("host", "example.amazonaws.com", "x-amz-date", "20150830T123600Z",
                "authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                        + "SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
        assertEquals("AKIDEXAMPLE", aws.verify(new HttpRequest("GET", "/", "", headers, new byte[0]), "https").accessKeyId());
    }

    /** A signer that signs exactly the headers given (user-agent aside), over a path to encode and a query to sort. (SDK v1, which signs user-agent too, is tested in integration-tests.) */
    @Test
    void requestSigningItsOwnHeadersPathAndQueryIsAccepted() {
        HttpRequest r = signedByLegacySigner(Map.of("Host", "127.0.0.1:8080", "Content-Type", "application/x-www-form-urlencoded; charset=utf-8",
                "User-Agent", "aws-sdk-java/1.12.797 Linux/6.1  OpenJDK_64-Bit_Server_VM/25", "X-Amz-Date", "20260301T115930Z"),
                "/000000000000/my%20queue", "b=2&a=x%2By&a=1", "Action=ListQueues&Version=2012-11-05");
        assertEquals("AKID", verifier.verify(r, "http").accessKeyId());
        Map<String, String> changed = new LinkedHashMap<>(r.headers());
        changed.put("content-type", "application/x-www-form-urlencoded");
        assertEquals("SignatureDoesNotMatch", rejection(new HttpRequest("POST", r.path(), r.rawQuery(), changed, r.body())));
    }

    @Test
    void aPayloadHashHeaderThatIsNotTheBodysIsRejected() {
        HttpRequest good = signed("AKID", "secret", "us-east-1", NOW, BODY);
        Map<String, String> headers = new LinkedHashMap<>(good.headers());
        headers.put("x-amz-content-sha256", "UNSIGNED-PAYLOAD");
        var e = assertThrows(SigV4Verifier.RejectedException.class, () -> verifier.verify(new HttpRequest("POST", "/", "", headers, good.body()), "http"));
        assertTrue(e.getMessage().contains("x-amz-content-sha256"), e.getMessage());
    }

    @Test
    void anUnsignedSecurityTokenIsRejected() {
        HttpRequest good = signed("AKID", "secret", "us-east-1", NOW, BODY);
        Map<String, String> headers = new LinkedHashMap<>(good.headers());
        headers.put("x-amz-security-token", "added later");
        var e = assertThrows(SigV4Verifier.RejectedException.class, () -> verifier.verify(new HttpRequest("POST", "/", "", headers, good.body()), "http"));
        assertTrue(e.getMessage().contains("x-amz-security-token"), e.getMessage());
    }

    @Test
    void aVerifierForAnyRegionAcceptsEveryRegionAndReportsIt() {
        SigV4Verifier local = new SigV4Verifier(new AccessKeys(Map.of("AKID", "secret")), "us-east-1", true, "sqs", Clock.fixed(NOW, ZoneOffset.UTC));
        assertEquals("eu-west-1", local.verify(signed("AKID", "secret", "eu-west-1", NOW, BODY), "http").region());
    }

    @SuppressWarnings("deprecation") // the legacy signer signs exactly the headers given, as SDK v1 does
    private static HttpRequest signedByLegacySigner(Map<String, String> headers, String rawPath, String rawQuery, String body) {
        software.amazon.awssdk.http.SdkHttpFullRequest.Builder b = software.amazon.awssdk.http.SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(URI.create("http://127.0.0.1:8080" + rawPath + "?" + rawQuery))
                .contentStreamProvider(ContentStreamProvider.fromUtf8String(body));
        headers.forEach(b::putHeader);
        var params = software.amazon.awssdk.auth.signer.params.Aws4SignerParams.builder()
                .awsCredentials(software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("AKID", "secret"))
                .signingName("sqs").signingRegion(software.amazon.awssdk.regions.Region.US_EAST_1)
                .signingClockOverride(Clock.fixed(Instant.parse("2026-03-01T11:59:30Z"), ZoneOffset.UTC)).build();
        var signed = software.amazon.awssdk.auth.signer.Aws4Signer.create().sign(b.build(), params);
        Map<String, String> out = new LinkedHashMap<>();
        signed.forEachHeader((k, v) -> out.put(k, String.join(",", v)));
        return new HttpRequest("POST", rawPath, rawQuery, out, body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void accessKeysReadTheThreeSecretShapes() {
        assertEquals("s", AccessKeys.fromJson("{\"accessKeyId\":\"a\",\"secretAccessKey\":\"s\"}").secretFor("a").orElseThrow());
        assertEquals("t", AccessKeys.fromJson("[{\"accessKeyId\":\"a\",\"secretAccessKey\":\"s\"},{\"accessKeyId\":\"b\",\"secretAccessKey\":\"t\"}]")
                .secretFor("b").orElseThrow());
        assertEquals("s", AccessKeys.fromJson("{\"keys\":[{\"accessKeyId\":\"a\",\"secretAccessKey\":\"s\"}]}").secretFor("a").orElseThrow());
        assertTrue(AccessKeys.fromJson("{\"accessKeyId\":\"a\",\"secretAccessKey\":\"s\"}").toString().indexOf("s\"") < 0);
    }
}
