package dev.shoal.infra;

import java.util.List;
import java.util.Objects;

/**
 * Runs the api function on Lambda Managed Instances: a capacity provider's EC2 instances in your
 * VPC, where one execution environment serves many requests at once, so that Shoal's group
 * commit, coalesced claims and shared long polls (ADR 0005) work across callers. Without these
 * settings the api function is standard Lambda with SnapStart, one request per environment.
 * Chosen at the function's first deployment: Lambda cannot move a function between the two.
 *
 * @param subnetIds                     the subnets the instances run in (at least one)
 * @param securityGroupIds              their security groups (at least one); they need egress to S3
 *                                      and DynamoDB (gateway endpoints or NAT)
 * @param maxConcurrencyPerEnvironment  requests one environment serves at once, 1-1,600; long polls
 *                                      mostly wait, so this is well above the vCPU count
 * @param maxVCpus                      the capacity provider's ceiling
 */
public record ManagedInstancesSettings(List<String> subnetIds, List<String> securityGroupIds,
                                       int maxConcurrencyPerEnvironment, int maxVCpus) {

    public static final int DEFAULT_MAX_CONCURRENCY = 200;
    public static final int DEFAULT_MAX_VCPUS = 16;

    public ManagedInstancesSettings {
        subnetIds = List.copyOf(Objects.requireNonNull(subnetIds, "subnetIds"));
        securityGroupIds = List.copyOf(Objects.requireNonNull(securityGroupIds, "securityGroupIds"));
        if (subnetIds.isEmpty() || securityGroupIds.isEmpty()) {
            throw new IllegalArgumentException("Managed Instances need at least one subnet and one security group, had "
                    + subnetIds + " and " + securityGroupIds);
        }
        if (maxConcurrencyPerEnvironment < 1 || maxConcurrencyPerEnvironment > 1600) {
            throw new IllegalArgumentException("maxConcurrencyPerEnvironment must be 1-1600, was " + maxConcurrencyPerEnvironment);
        }
        if (maxVCpus < 2) {
            throw new IllegalArgumentException("maxVCpus must be at least 2, was " + maxVCpus);
        }
    }

    public static ManagedInstancesSettings of(List<String> subnetIds, List<String> securityGroupIds) {
        return new ManagedInstancesSettings(subnetIds, securityGroupIds, DEFAULT_MAX_CONCURRENCY, DEFAULT_MAX_VCPUS);
    }
}
