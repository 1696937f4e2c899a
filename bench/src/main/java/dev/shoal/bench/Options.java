package dev.shoal.bench;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code --name value} options of one subcommand. Every option a subcommand reads must be
 * declared by reading it; {@link #rejectUnknown()} then fails on anything the user typed that
 * no code read, so a typo is an error rather than a silently ignored setting.
 */
final class Options {

    private final Map<String, String> values = new LinkedHashMap<>();
    private final Set<String> read = new HashSet<>();

    private Options() {
    }

    static Options parse(List<String> args) {
        Options o = new Options();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!a.startsWith("--") || a.length() < 3) {
                throw new UsageException("expected an option like --messages 1000, got '" + a + "'");
            }
            String name = a.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
                value = args.get(++i);
            } else {
                value = "true";
            }
            o.values.put(name, value);
        }
        return o;
    }

    int integer(String name, int defaultValue) {
        return (int) longValue(name, defaultValue);
    }

    long longValue(String name, long defaultValue) {
        String v = raw(name);
        if (v == null) return defaultValue;
        try {
            return parseLong(v);
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be a whole number (1000, 10k, 1m), was '" + v + "'");
        }
    }

    List<Integer> integers(String name, List<Integer> defaultValue) {
        String v = raw(name);
        if (v == null) return defaultValue;
        List<Integer> out = new ArrayList<>();
        for (String part : v.split(",")) {
            try {
                out.add((int) parseLong(part.trim()));
            } catch (NumberFormatException e) {
                throw new UsageException("--" + name + " must be a comma-separated list of whole numbers, was '" + v + "'");
            }
        }
        return out;
    }

    String string(String name, String defaultValue) {
        String v = raw(name);
        return v == null ? defaultValue : v;
    }

    boolean flag(String name, boolean defaultValue) {
        String v = raw(name);
        if (v == null) return defaultValue;
        return switch (v) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new UsageException("--" + name + " must be true or false, was '" + v + "'");
        };
    }

    void rejectUnknown() {
        for (String name : values.keySet()) {
            if (!read.contains(name)) {
                throw new UsageException("unknown option --" + name);
            }
        }
    }

    private String raw(String name) {
        read.add(name);
        return values.get(name);
    }

    private static long parseLong(String v) {
        String s = v.toLowerCase().replace("_", "");
        long mult = 1;
        if (s.endsWith("k")) {
            mult = 1_000;
            s = s.substring(0, s.length() - 1);
        } else if (s.endsWith("m")) {
            mult = 1_000_000;
            s = s.substring(0, s.length() - 1);
        }
        return Long.parseLong(s) * mult;
    }

    /** A bad command line: the message says what to change; usage is printed after it. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
