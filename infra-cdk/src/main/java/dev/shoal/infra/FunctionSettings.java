package dev.shoal.infra;

import java.time.Duration;
import java.util.Objects;

/**
 * Size and time limit of one Lambda function.
 *
 * @param memoryMb memory in MB, 128 to 10,240 (Lambda's range; CPU grows with it)
 * @param timeout  how long one invocation may run, 1 s to 15 min (Lambda's range)
 */
public record FunctionSettings(int memoryMb, Duration timeout) {

    public FunctionSettings {
        Objects.requireNonNull(timeout, "timeout");
        if (memoryMb < 128 || memoryMb > 10_240) {
            throw new IllegalArgumentException("memoryMb must be 128-10240, was " + memoryMb);
        }
        if (timeout.toSeconds() < 1 || timeout.toSeconds() > 900 || timeout.toMillisPart() != 0) {
            throw new IllegalArgumentException("timeout must be whole seconds from 1 to 900, was " + timeout);
        }
    }

    public static FunctionSettings of(int memoryMb, int timeoutSeconds) {
        return new FunctionSettings(memoryMb, Duration.ofSeconds(timeoutSeconds));
    }
}
