package dev.shoal.functions.api.sqs;

import dev.shoal.storage.api.InvalidRequestException;
import dev.shoal.storage.api.Limits;

/**
 * Queue URLs and ARNs as SQS writes them: {@code <endpoint>/<accountId>/<queueName>} and
 * {@code arn:aws:sqs:<region>:<accountId>:<queueName>}. Parsing only looks at the last path
 * segment, so a URL built against {@code localhost} still works against {@code 127.0.0.1}.
 */
record QueueUrls(String endpoint, String accountId, String region) {

    String url(String queue) {
        return endpoint + "/" + accountId + "/" + queue;
    }

    String arn(String queue) {
        return "arn:aws:sqs:" + region + ":" + accountId + ":" + queue;
    }

    static String queueOf(String url) {
        String u = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        String name = u.substring(u.lastIndexOf('/') + 1);
        check(name, "QueueUrl", url);
        return name;
    }

    /** The queue named by an ARN such as a RedrivePolicy's deadLetterTargetArn. */
    static String queueOfArn(String arn) {
        return queueOfArn(arn, "deadLetterTargetArn", SqsException.sender("InvalidAttributeValue",
                "Invalid value for the parameter RedrivePolicy. Reason: deadLetterTargetArn must be an SQS queue ARN (arn:aws:sqs:<region>:<account>:<queue>), was "
                        + SqsException.echo(arn)));
    }

    /** The queue named by the ARN in {@code parameter}; {@code malformed} when it is no SQS queue ARN. */
    static String queueOfArn(String arn, String parameter, SqsException malformed) {
        String[] parts = arn.split(":");
        if (parts.length != 6 || !parts[0].equals("arn") || !parts[2].equals("sqs")) {
            throw malformed;
        }
        check(parts[5], parameter, arn);
        return parts[5];
    }

    private static void check(String name, String parameter, String given) {
        try {
            Limits.checkQueueNameSyntax(parameter, name);
        } catch (InvalidRequestException e) {
            throw SqsException.sender("InvalidAddress", "The address " + SqsException.echo(given) + " is not valid for this endpoint.");
        }
    }
}
