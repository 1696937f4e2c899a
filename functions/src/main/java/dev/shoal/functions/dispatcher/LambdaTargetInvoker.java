package dev.shoal.functions.dispatcher;

import dev.shoal.functions.runtime.AwsClients;
import dev.shoal.storage.api.PushTarget;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.Ec2AccessDeniedException;
import software.amazon.awssdk.services.lambda.model.Ec2ThrottledException;
import software.amazon.awssdk.services.lambda.model.Ec2UnexpectedException;
import software.amazon.awssdk.services.lambda.model.EfsMountConnectivityException;
import software.amazon.awssdk.services.lambda.model.EfsMountFailureException;
import software.amazon.awssdk.services.lambda.model.EfsMountTimeoutException;
import software.amazon.awssdk.services.lambda.model.EniLimitReachedException;
import software.amazon.awssdk.services.lambda.model.InvalidSecurityGroupIdException;
import software.amazon.awssdk.services.lambda.model.InvalidSubnetIdException;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.KmsAccessDeniedException;
import software.amazon.awssdk.services.lambda.model.KmsDisabledException;
import software.amazon.awssdk.services.lambda.model.KmsInvalidStateException;
import software.amazon.awssdk.services.lambda.model.KmsNotFoundException;
import software.amazon.awssdk.services.lambda.model.LambdaException;
import software.amazon.awssdk.services.lambda.model.RecursiveInvocationException;
import software.amazon.awssdk.services.lambda.model.ResourceNotReadyException;
import software.amazon.awssdk.services.lambda.model.SnapStartNotReadyException;
import software.amazon.awssdk.services.lambda.model.SnapStartTimeoutException;
import software.amazon.awssdk.services.lambda.model.SubnetIpAddressLimitReachedException;
import software.amazon.awssdk.services.lambda.model.TooManyRequestsException;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Push targets that are Lambda functions: a synchronous (RequestResponse) Invoke whose payload
 * is the partial batch response.
 *
 * <ul>
 *   <li>A function error (the handler threw, timed out inside Lambda, ran out of memory) fails
 *       the batch.</li>
 *   <li>Errors that Lambda returns before running the function — throttling (429), a function
 *       that does not exist or may not be invoked (404, 403), one being updated or not ready,
 *       its network or KMS key unusable — are {@link InvocationOutcome.NotDelivered}: the messages
 *       go back without their delivery counted, so a throttled target never dead-letters
 *       messages it never saw (the known complaint about Lambda's own SQS trigger).</li>
 *   <li>A Lambda service error (500) or no answer in time is ambiguous, so it counts.</li>
 * </ul>
 * The client does not retry: a retried Invoke may run the function twice while the first is
 * still going, and the dispatcher decides about retries itself.
 */
public final class LambdaTargetInvoker implements TargetInvoker, AutoCloseable {

    /** Past the target's own timeout, for Lambda to report the function's end. */
    static final Duration CALL_MARGIN = Duration.ofSeconds(5);

    private static final Set<Class<? extends LambdaException>> NEVER_RAN = Set.of(
            TooManyRequestsException.class, Ec2ThrottledException.class, ResourceNotReadyException.class,
            EniLimitReachedException.class, SubnetIpAddressLimitReachedException.class, Ec2AccessDeniedException.class,
            Ec2UnexpectedException.class, InvalidSubnetIdException.class, InvalidSecurityGroupIdException.class,
            KmsAccessDeniedException.class, KmsDisabledException.class, KmsInvalidStateException.class,
            KmsNotFoundException.class, EfsMountConnectivityException.class, EfsMountFailureException.class,
            EfsMountTimeoutException.class, SnapStartNotReadyException.class, SnapStartTimeoutException.class,
            RecursiveInvocationException.class);

    private final Function<Region, LambdaClient> clients;
    private final Map<Region, LambdaClient> byRegion = new ConcurrentHashMap<>();

    /** @param clients makes the client for a region (a target's ARN names its region) */
    public LambdaTargetInvoker(Function<Region, LambdaClient> clients) {
        this.clients = clients;
    }

    /** Clients as the functions build theirs: url-connection HTTP, the SDK default credentials chain (see AwsClients), no retries. */
    public static LambdaTargetInvoker fromEnvironment() {
        return new LambdaTargetInvoker(region -> LambdaClient.builder()
                .region(region)
                // the socket must outlast the slowest target (15 min); each call's own timeout is the target's
                .httpClientBuilder(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofMinutes(16)))
                .credentialsProvider(AwsClients.defaultCredentials())
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build());
    }

    @Override
    public InvocationOutcome invoke(PushTarget target, byte[] event) {
        LambdaClient lambda;
        try {
            lambda = byRegion.computeIfAbsent(regionOf(target.target()), clients);
        } catch (IllegalArgumentException badArn) {
            return new InvocationOutcome.NotDelivered(badArn.getMessage(), null);
        }
        try {
            InvokeResponse r = lambda.invoke(b -> b.functionName(target.target())
                    .invocationType(InvocationType.REQUEST_RESPONSE)
                    .payload(SdkBytes.fromByteArrayUnsafe(event))
                    .overrideConfiguration(o -> o.apiCallTimeout(target.timeout().plus(CALL_MARGIN))));
            byte[] payload = r.payload() == null ? new byte[0] : r.payload().asByteArrayUnsafe();
            if (r.functionError() != null) {
                return new InvocationOutcome.Failed("function error " + r.functionError() + HttpTargetInvoker.snippet(payload));
            }
            return new InvocationOutcome.Completed(payload);
        } catch (TooManyRequestsException e) {
            return new InvocationOutcome.NotDelivered("throttled" + (e.reason() == null ? "" : " (" + e.reasonAsString() + ")"),
                    seconds(e.retryAfterSeconds()).orElse(null));
        } catch (LambdaException e) {
            if (neverRan(e)) {
                return new InvocationOutcome.NotDelivered(describe(e), null);
            }
            return new InvocationOutcome.Failed(describe(e));
        } catch (ApiCallTimeoutException | ApiCallAttemptTimeoutException e) {
            return new InvocationOutcome.Failed("no answer within " + target.timeout().toMillis() + "ms");
        } catch (SdkClientException e) {
            if (causedBy(e, ConnectException.class) || causedBy(e, UnknownHostException.class)) {
                return new InvocationOutcome.NotDelivered("Lambda endpoint unreachable: " + e.getMessage(), null);
            }
            return new InvocationOutcome.Failed("client error: " + e.getMessage());
        } catch (SdkException e) {
            return new InvocationOutcome.Failed(e.toString());
        }
    }

    static boolean neverRan(LambdaException e) {
        int status = e.statusCode();
        return NEVER_RAN.contains(e.getClass()) || status == 403 || status == 404 || status == 409 || status == 429;
    }

    /** arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER] */
    static Region regionOf(String arn) {
        String[] parts = arn.split(":");
        if (parts.length < 7 || parts[3].isEmpty()) {
            throw new IllegalArgumentException("not a Lambda function ARN (arn:aws:lambda:REGION:ACCOUNT:function:NAME): " + arn);
        }
        return Region.of(parts[3]);
    }

    private static Optional<Duration> seconds(String text) {
        try {
            return text == null ? Optional.empty() : Optional.of(Duration.ofSeconds(Long.parseLong(text.trim())));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static String describe(LambdaException e) {
        String code = e.awsErrorDetails() == null ? e.getClass().getSimpleName() : e.awsErrorDetails().errorCode();
        String message = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorMessage();
        return code + " (HTTP " + e.statusCode() + ")" + (message == null ? "" : ": " + message);
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) return true;
        }
        return false;
    }

    @Override
    public void close() {
        byRegion.values().forEach(LambdaClient::close);
        byRegion.clear();
    }
}
