package dev.shoal.infra;

/**
 * How the deployment protects itself and its data in operation.
 *
 * @param throttleRate         the HTTP API stage's steady request rate limit (requests per second)
 * @param throttleBurst        the stage's burst limit (requests)
 * @param apiConcurrency       reserved concurrency of the api function, or {@code null} for none
 *                             (the account's unreserved pool; a reservation both caps the function
 *                             and guarantees it that much)
 * @param dispatcherConcurrency reserved concurrency of the dispatcher, or {@code null} for none
 * @param janitorConcurrency   reserved concurrency of the janitor, or {@code null} for none
 * @param bucketVersioning     keep old versions of segments (recovery from deletes; costs storage)
 * @param customerKey          encrypt the bucket, tables, secrets and failure queue with a
 *                             customer-managed KMS key created by the stack (rotation on)
 * @param tracing              X-Ray active tracing of the functions and the API
 */
public record OperationsSettings(
        int throttleRate,
        int throttleBurst,
        Integer apiConcurrency,
        Integer dispatcherConcurrency,
        Integer janitorConcurrency,
        boolean bucketVersioning,
        boolean customerKey,
        boolean tracing) {

    public OperationsSettings {
        if (throttleRate < 1) {
            throw new IllegalArgumentException("throttleRate must be >= 1 request/s, was " + throttleRate);
        }
        if (throttleBurst < 1 || throttleBurst > 5000) {
            throw new IllegalArgumentException("throttleBurst must be 1-5000 (API Gateway's limit), was " + throttleBurst);
        }
        requireConcurrency("apiConcurrency", apiConcurrency);
        requireConcurrency("dispatcherConcurrency", dispatcherConcurrency);
        requireConcurrency("janitorConcurrency", janitorConcurrency);
    }

    private static void requireConcurrency(String name, Integer value) {
        if (value != null && value < 1) {
            throw new IllegalArgumentException(name + " must be >= 1 (or unset for no reservation), was " + value);
        }
    }
}
