package dev.shoal.functions.api.auth;

import dev.shoal.functions.api.HttpRequest;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.signer.Aws4Signer;
import software.amazon.awssdk.auth.signer.params.Aws4SignerParams;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.regions.Region;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Verifies a request's AWS Signature Version 4 (the {@code Authorization} header) against the
 * configured access keys. The expected signature is computed by the AWS SDK's own signer over
 * the same method, path, query, signed headers and body at the request's own {@code X-Amz-Date};
 * this class only parses the header and compares, so no canonicalization or HMAC is hand-made.
 *
 * <p>The signer is the SDK's {@link Aws4Signer} rather than the newer {@code AwsV4HttpSigner}:
 * the newer one always adds and signs {@code x-amz-content-sha256}, so it cannot reproduce the
 * signature of a client that does not sign that header (botocore, hence the aws CLI). The older
 * signer signs exactly the headers it is given, which are exactly the ones the client signed.
 */
public final class SigV4Verifier {

    /** AWS refuses requests signed more than 15 minutes from its clock; so does Shoal. */
    public static final Duration MAX_SKEW = Duration.ofMinutes(15);

    private static final Pattern AUTHORIZATION = Pattern.compile(
            "AWS4-HMAC-SHA256\\s+Credential=([^/,\\s]+)/(\\d{8})/([^/,\\s]+)/([^/,\\s]+)/aws4_request\\s*,\\s*"
                    + "SignedHeaders=([^,\\s]+)\\s*,\\s*Signature=([0-9a-f]{64})\\s*");
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final AccessKeys keys;
    private final String region;
    private final String service;
    private final Clock clock;
    @SuppressWarnings("deprecation") // see the class comment: the replacement cannot verify every client
    private final Aws4Signer signer = Aws4Signer.create();

    public SigV4Verifier(AccessKeys keys, String region, String service, Clock clock) {
        this.keys = keys;
        this.region = region;
        this.service = service;
        this.clock = clock;
    }

    /** Why a request was refused; the codes are AWS's. */
    public record Failure(String code, int status, String message) {
    }

    /** The verified access key id. */
    public record Verified(String accessKeyId) {
    }

    /** Thrown for a request that is not signed by a configured key. */
    public static final class RejectedException extends RuntimeException {
        private final Failure failure;

        RejectedException(Failure failure) {
            super(failure.message());
            this.failure = failure;
        }

        public Failure failure() {
            return failure;
        }
    }

    /**
     * @param scheme "https" behind API Gateway, "http" on the local server; it does not enter
     *               the signature but the SDK's request type needs one
     */
    public Verified verify(HttpRequest request, String scheme) {
        String authorization = request.header("authorization").orElseThrow(() -> reject("MissingAuthenticationToken", 403,
                "Request is missing Authentication Token: sign it with AWS Signature Version 4"));
        Matcher m = AUTHORIZATION.matcher(authorization.trim());
        if (!m.matches()) {
            throw reject("IncompleteSignature", 400, "Authorization header requires AWS4-HMAC-SHA256 with Credential, SignedHeaders and Signature");
        }
        String accessKeyId = m.group(1);
        String scopeDate = m.group(2);
        String scopeRegion = m.group(3);
        String scopeService = m.group(4);
        List<String> signedHeaders = Arrays.asList(m.group(5).split(";"));
        String signature = m.group(6);

        String secret = keys.secretFor(accessKeyId).orElseThrow(() -> reject("InvalidClientTokenId", 403,
                "The security token included in the request is invalid: unknown access key " + accessKeyId));
        if (!scopeRegion.equals(region) || !scopeService.equals(service)) {
            throw reject("SignatureDoesNotMatch", 403, "Credential should be scoped to region '" + region + "' and service '" + service
                    + "', was '" + scopeRegion + "' and '" + scopeService + "'");
        }
        if (!signedHeaders.contains("host")) {
            throw reject("SignatureDoesNotMatch", 403, "the host header must be signed");
        }
        Instant signedAt = signingTime(request);
        if (!AMZ_DATE.format(signedAt).startsWith(scopeDate)) {
            throw reject("SignatureDoesNotMatch", 403, "Credential date " + scopeDate + " does not match X-Amz-Date");
        }
        Instant now = clock.instant();
        if (Duration.between(signedAt, now).abs().compareTo(MAX_SKEW) > 0) {
            throw reject("SignatureDoesNotMatch", 403, "Signature expired: " + AMZ_DATE.format(signedAt)
                    + " is more than 15 minutes from the server's time " + AMZ_DATE.format(now));
        }

        String expected = expectedAuthorization(request, scheme, signedHeaders, accessKeyId, secret, signedAt);
        Matcher e = AUTHORIZATION.matcher(expected);
        boolean same = e.matches() && e.group(5).equals(m.group(5))
                && MessageDigest.isEqual(e.group(6).getBytes(StandardCharsets.US_ASCII), signature.getBytes(StandardCharsets.US_ASCII));
        if (!same) {
            throw reject("SignatureDoesNotMatch", 403, "The request signature we calculated does not match the signature you provided. "
                    + "Check your AWS Secret Access Key and signing method.");
        }
        return new Verified(accessKeyId);
    }

    private String expectedAuthorization(HttpRequest request, String scheme, List<String> signedHeaders, String accessKeyId,
                                         String secret, Instant signedAt) {
        String host = request.header("host").orElseThrow(() -> reject("SignatureDoesNotMatch", 403, "the request has no host header"));
        SdkHttpFullRequest.Builder b = SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.fromValue(request.method()))
                .uri(URI.create(scheme + "://" + host + request.path() + (request.rawQuery().isEmpty() ? "" : "?" + request.rawQuery())))
                .contentStreamProvider(ContentStreamProvider.fromByteArrayUnsafe(request.body()));
        for (String name : signedHeaders) {
            String value = request.header(name).orElseThrow(() -> reject("SignatureDoesNotMatch", 403,
                    "signed header '" + name + "' is missing from the request"));
            b.putHeader(name, value);
        }
        @SuppressWarnings("deprecation")
        Aws4SignerParams params = Aws4SignerParams.builder()
                .awsCredentials(AwsBasicCredentials.create(accessKeyId, secret))
                .signingName(service)
                .signingRegion(Region.of(region))
                .signingClockOverride(Clock.fixed(signedAt, ZoneOffset.UTC))
                .build();
        @SuppressWarnings("deprecation")
        SdkHttpFullRequest signed = signer.sign(b.build(), params);
        return signed.firstMatchingHeader("Authorization").orElse("");
    }

    private static Instant signingTime(HttpRequest request) {
        String date = request.header("x-amz-date").orElseThrow(() -> reject("IncompleteSignature", 400,
                "the request needs an X-Amz-Date header (yyyyMMdd'T'HHmmss'Z')"));
        try {
            return Instant.from(AMZ_DATE.parse(date.trim().toUpperCase(Locale.ROOT)));
        } catch (DateTimeParseException e) {
            throw reject("IncompleteSignature", 400, "X-Amz-Date must look like 20260131T120000Z, was " + date);
        }
    }

    private static RejectedException reject(String code, int status, String message) {
        return new RejectedException(new Failure(code, status, message));
    }
}
