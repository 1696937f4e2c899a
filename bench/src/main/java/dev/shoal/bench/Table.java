package dev.shoal.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** A markdown table, printed with aligned columns so that it reads in a terminal too. */
final class Table {

    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    Table(String... headers) {
        this.headers = List.of(headers);
    }

    Table row(Object... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException("row has " + cells.length + " cells, table has " + headers.size() + " columns");
        }
        rows.add(Arrays.stream(cells).map(String::valueOf).toList());
        return this;
    }

    void print(PrintStream out) {
        int[] width = new int[headers.size()];
        for (int c = 0; c < width.length; c++) {
            width[c] = Math.max(3, headers.get(c).length());
            for (List<String> r : rows) width[c] = Math.max(width[c], r.get(c).length());
        }
        line(out, headers, width);
        StringBuilder sep = new StringBuilder("|");
        for (int w : width) sep.append(' ').append("-".repeat(w)).append(" |");
        out.println(sep);
        for (List<String> r : rows) line(out, r, width);
        out.println();
    }

    private static void line(PrintStream out, List<String> cells, int[] width) {
        StringBuilder sb = new StringBuilder("|");
        for (int c = 0; c < width.length; c++) {
            sb.append(' ').append(cells.get(c)).append(" ".repeat(width[c] - cells.get(c).length())).append(" |");
        }
        out.println(sb);
    }

    /** A number with {@code digits} decimals. */
    static String f(double v, int digits) {
        if (Double.isNaN(v)) return "-";
        return String.format(Locale.ROOT, "%." + digits + "f", v);
    }

    /** A count with thousands separators. */
    static String n(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }

    /** Dollars, with enough decimals to show cents of small figures. */
    static String usd(double v) {
        return v >= 10 ? String.format(Locale.ROOT, "$%.2f", v) : String.format(Locale.ROOT, "$%.3f", v);
    }
}
