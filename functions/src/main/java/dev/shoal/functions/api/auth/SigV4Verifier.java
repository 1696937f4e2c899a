package dev.shoal.functions.api.auth;

import dev.shoal.functions.api.HttpRequest;

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
 * Verifies a request's AWS Signature Version 4 ({@code Authorization} header) against the
 * configured access keys, by the algorithm itself ({@link SigV4Canonical}): the canonical
 * request over exactly the headers the client listed in {@code SignedHeaders}, whichever those
 * are (SDK v1 signs {@code user-agent}, botocore does not sign {@code x-amz-content-sha256}).
 *
 * <p>Strict where AWS is: the signature must be at most {@link #MAX_SKEW} from the server's
 * clock; the credential scope must name the request's date, the service, {@code aws4_request}
 * and the configured region (any region when so configured, as local emulators do);
 * {@code host} and {@code x-amz-date} must be signed, and so must {@code x-amz-target} and
 * {@code x-amz-security-token} when present, so that no one can change the action of a signed
 * request; a {@code x-amz-content-sha256} header must be the body's hash.
 */
public final class SigV4Verifier {

    /** AWS refuses requests signed more than 15 minutes from its clock; so does Shoal. */
    public static final Duration MAX_SKEW = Duration.ofMinutes(15);

    private static final Pattern AUTHORIZATION = Pattern.compile(
            "AWS4-HMAC-SHA256\\s+Credential=([^/,\\s]+)/(\\d{8})/([^/,\\s]+)/([^/,\\s]+)/aws4_request\\s*,\\s*"
                    + "SignedHeaders=([^,\\s]+)\\s*,\\s*Signature=([0-9a-f]{64})\\s*");
    /**
     * Headers that change what a request does (the action, the session): a signature that leaves
     * them out would let anyone change them. Not every x-amz-* header: some SDKs send
     * x-amz-user-agent unsigned, and it changes nothing.
     */
    private static final List<String> MUST_BE_SIGNED_WHEN_PRESENT = List.of("x-amz-target", "x-amz-security-token");
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final AccessKeys keys;
    private final String region;
    private final boolean anyRegion;
    private final String service;
    private final Clock clock;

    /** A verifier for requests signed for {@code region} only. */
    public SigV4Verifier(AccessKeys keys, String region, String service, Clock clock) {
        this(keys, region, false, service, clock);
    }

    /**
     * @param anyRegion accept a signature scoped to any region (the local stack, where clients
     *                  keep whatever region they are configured with); {@code region} is then
     *                  only the default
     */
    public SigV4Verifier(AccessKeys keys, String region, boolean anyRegion, String service, Clock clock) {
        this.keys = keys;
        this.region = region;
        this.anyRegion = anyRegion;
        this.service = service;
        this.clock = clock;
    }

    /** Why a request was refused; the codes are AWS's. */
    public record Failure(String code, int status, String message) {
    }

    /**
     * The verified caller.
     *
     * @param accessKeyId the key that signed
     * @param region      the region the signature is scoped to
     */
    public record Verified(String accessKeyId, String region) {
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

    /** @param scheme unused by the algorithm (the scheme is not signed); kept for callers */
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
        if ((!anyRegion && !scopeRegion.equals(region)) || !scopeService.equals(service)) {
            throw reject("SignatureDoesNotMatch", 403, "Credential should be scoped to a valid region and service '" + service
                    + "' (region '" + region + "'), was '" + scopeRegion + "' and '" + scopeService + "'");
        }
        checkSignedHeaders(request, signedHeaders);
        String amzDate = request.header("x-amz-date").orElseThrow().trim();
        Instant signedAt = signingTime(amzDate);
        if (!AMZ_DATE.format(signedAt).startsWith(scopeDate)) {
            throw reject("SignatureDoesNotMatch", 403, "Credential should be scoped to a valid date: " + scopeDate
                    + " is not the date of X-Amz-Date " + amzDate);
        }
        Instant now = clock.instant();
        if (Duration.between(signedAt, now).abs().compareTo(MAX_SKEW) > 0) {
            throw reject("SignatureDoesNotMatch", 403, "Signature expired: " + AMZ_DATE.format(signedAt)
                    + " is more than 15 minutes from the server's time " + AMZ_DATE.format(now));
        }
        String payloadHash = SigV4Canonical.hex(SigV4Canonical.sha256(request.body()));
        request.header("x-amz-content-sha256").ifPresent(claimed -> {
            if (!claimed.trim().equals(payloadHash)) {
                throw reject("SignatureDoesNotMatch", 403, "The x-amz-content-sha256 header is not the SHA-256 of the body "
                        + "(Shoal does not accept UNSIGNED-PAYLOAD or streaming payloads)");
            }
        });

        String scope = scopeDate + "/" + scopeRegion + "/" + scopeService + "/aws4_request";
        String canonical = SigV4Canonical.canonicalRequest(request, signedHeaders, payloadHash);
        String stringToSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n"
                + SigV4Canonical.hex(SigV4Canonical.sha256(canonical.getBytes(StandardCharsets.UTF_8)));
        byte[] key = SigV4Canonical.signingKey(secret, scopeDate, scopeRegion, scopeService);
        String expected = SigV4Canonical.hex(SigV4Canonical.hmac(key, stringToSign));
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), signature.getBytes(StandardCharsets.US_ASCII))) {
            throw reject("SignatureDoesNotMatch", 403, "The request signature we calculated does not match the signature you provided. "
                    + "Check your AWS Secret Access Key and signing method. Consult the service documentation for details.");
        }
        return new Verified(accessKeyId, scopeRegion);
    }

    private static void checkSignedHeaders(HttpRequest request, List<String> signedHeaders) {
        for (int i = 0; i < signedHeaders.size(); i++) {
            String name = signedHeaders.get(i);
            if (!name.equals(name.toLowerCase(Locale.ROOT)) || (i > 0 && signedHeaders.get(i - 1).compareTo(name) >= 0)) {
                throw reject("SignatureDoesNotMatch", 403, "SignedHeaders must be lower-case names in sorted order, was "
                        + String.join(";", signedHeaders));
            }
            if (request.header(name).isEmpty()) {
                throw reject("SignatureDoesNotMatch", 403, "signed header '" + name + "' is missing from the request");
            }
        }
        if (request.header("x-amz-date").isEmpty()) {
            throw reject("IncompleteSignature", 400, "the request needs an X-Amz-Date header (yyyyMMdd'T'HHmmss'Z')");
        }
        for (String required : List.of("host", "x-amz-date")) {
            if (!signedHeaders.contains(required)) {
                throw reject("SignatureDoesNotMatch", 403, "the " + required + " header must be signed");
            }
        }
        for (String name : MUST_BE_SIGNED_WHEN_PRESENT) {
            if (request.header(name).isPresent() && !signedHeaders.contains(name)) {
                throw reject("SignatureDoesNotMatch", 403, "the " + name + " header must be signed");
            }
        }
    }

    private static Instant signingTime(String date) {
        try {
            return Instant.from(AMZ_DATE.parse(date.toUpperCase(Locale.ROOT)));
        } catch (DateTimeParseException e) {
            throw reject("IncompleteSignature", 400, "X-Amz-Date must look like 20260131T120000Z, was " + date);
        }
    }

    static RejectedException reject(String code, int status, String message) {
        return new RejectedException(new Failure(code, status, message));
    }
}
