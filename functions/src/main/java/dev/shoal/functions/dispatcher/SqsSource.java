package dev.shoal.functions.dispatcher;

import dev.shoal.functions.api.ApiConfig;

import java.util.regex.Pattern;

/**
 * Where an SQS-shaped event says its messages come from: the region and account in
 * {@code eventSourceARN} and {@code awsRegion}, the same ones the SQS face puts in queue URLs and
 * ARNs, so a function that checks its event source sees the queue it was configured with.
 *
 * @param region    the deployment's region ({@code us-east-1} locally)
 * @param accountId the account in queue ARNs (twelve digits)
 */
public record SqsSource(String region, String accountId) {

    private static final Pattern ACCOUNT = Pattern.compile("[0-9]{12}");

    /** The local stack's, matching {@link ApiConfig#local()}. */
    public static final SqsSource LOCAL = new SqsSource("us-east-1", ApiConfig.DEFAULT_ACCOUNT_ID);

    public SqsSource {
        if (region == null || region.isBlank()) {
            throw new IllegalArgumentException("region must not be blank");
        }
        if (accountId == null || !ACCOUNT.matcher(accountId).matches()) {
            throw new IllegalArgumentException("accountId must be twelve digits, was '" + accountId + "'");
        }
    }

    /** {@code arn:aws:sqs:<region>:<account>:<queue>}. */
    String queueArn(String queue) {
        return "arn:aws:sqs:" + region + ":" + accountId + ":" + queue;
    }
}
