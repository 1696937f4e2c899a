package dev.shoal.functions.api;

import dev.shoal.functions.api.auth.AccessKeys;

import java.time.Clock;
import java.util.Objects;

/**
 * What the API needs besides the service.
 *
 * @param accountId      the account in SQS queue URLs and ARNs
 * @param region         the region SQS requests must be signed for
 * @param sqsKeys        access keys the SQS face accepts
 * @param publicEndpoint the base URL in queue URLs, or null to use the request's Host header
 * @param clock          for signature expiry
 * @param anyRegion      accept SQS requests signed for any region, and answer with that region in
 *                       ARNs (the local stack: clients keep their configured region)
 */
public record ApiConfig(String accountId, String region, AccessKeys sqsKeys, String publicEndpoint, Clock clock, boolean anyRegion) {

    /** AWS Lambda's limit on a synchronous invocation's payload, which caps every request body. */
    public static final int MAX_REQUEST_BYTES = 6 * 1024 * 1024;
    public static final String DEFAULT_ACCOUNT_ID = "000000000000";

    public ApiConfig {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(sqsKeys, "sqsKeys");
        Objects.requireNonNull(clock, "clock");
        if (publicEndpoint != null && publicEndpoint.endsWith("/")) {
            publicEndpoint = publicEndpoint.substring(0, publicEndpoint.length() - 1);
        }
    }

    /** A deployment's: requests must be signed for {@code region}. */
    public ApiConfig(String accountId, String region, AccessKeys sqsKeys, String publicEndpoint, Clock clock) {
        this(accountId, region, sqsKeys, publicEndpoint, clock, false);
    }

    /** The local stack's: account 000000000000, key test/test, any region (us-east-1 by default). */
    public static ApiConfig local() {
        return new ApiConfig(DEFAULT_ACCOUNT_ID, "us-east-1", AccessKeys.LOCAL_DEFAULT, null, Clock.systemUTC(), true);
    }
}
