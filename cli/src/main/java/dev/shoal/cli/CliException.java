package dev.shoal.cli;

/**
 * A failure the command line reports in one line and an exit code, without a stack trace.
 * The codes are part of the CLI's contract (docs/cli.md).
 */
final class CliException extends RuntimeException {

    /** The API refused the call (a 4xx other than 404): the message says what to change. */
    static final int REFUSED = 1;
    /** Bad usage: an unknown option, a missing argument, a value of the wrong shape (picocli's own code too). */
    static final int USAGE = 2;
    /** The queue or subscription does not exist. */
    static final int NOT_FOUND = 3;
    /** The API could not be reached, or failed (5xx): retry later. */
    static final int UNAVAILABLE = 4;

    private final int exitCode;

    CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
