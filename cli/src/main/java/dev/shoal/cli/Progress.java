package dev.shoal.cli;

import java.io.PrintWriter;

/**
 * A one-line progress bar on the error stream, redrawn in place ({@code \r}), for long operations
 * (bulk send, redrive). Off unless asked for or the terminal is interactive, so logs and pipes
 * get no control characters.
 */
final class Progress {

    private static final int WIDTH = 30;

    private final PrintWriter err;
    private final boolean on;
    private final String unit;
    private final long total;
    private boolean drawn;

    /** @param total the expected count, or 0 or less when unknown (then only the count is shown) */
    Progress(PrintWriter err, boolean on, String unit, long total) {
        this.err = err;
        this.on = on;
        this.unit = unit;
        this.total = total;
    }

    void update(long done) {
        if (!on) return;
        String count = total > 0 ? done + "/" + total + " " + unit : done + " " + unit;
        String bar = "";
        if (total > 0) {
            int filled = (int) Math.min(WIDTH, done * WIDTH / total);
            bar = "[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] ";
        }
        err.print("\r" + bar + count);
        err.flush();
        drawn = true;
    }

    void finish() {
        if (drawn) {
            err.println();
            err.flush();
        }
    }
}
