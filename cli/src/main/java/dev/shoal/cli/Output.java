package dev.shoal.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a command's results go: aligned tables and sentences for people, or JSON for scripts
 * ({@code --json}: one document, or one object per line for streams such as {@code tail -f}).
 */
final class Output {

    private final PrintWriter out;
    private final boolean json;

    Output(PrintWriter out, boolean json) {
        this.out = out;
        this.json = json;
    }

    boolean json() {
        return json;
    }

    /** A whole result: printed as JSON with --json, else {@code human} is printed. */
    void result(JsonNode value, Runnable human) {
        if (json) {
            try {
                out.println(ApiClient.JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        } else {
            human.run();
        }
        out.flush();
    }

    /** One item of a stream: a JSON line with --json, else {@code text}. */
    void item(JsonNode value, String text) {
        out.println(json ? value.toString() : text);
        out.flush();
    }

    void line(String text) {
        out.println(text);
        out.flush();
    }

    /** Prints rows under a header, each column as wide as its widest cell. */
    void table(List<String> header, List<List<String>> rows) {
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        int[] widths = new int[header.size()];
        for (List<String> row : all) {
            for (int i = 0; i < row.size(); i++) widths[i] = Math.max(widths[i], row.get(i).length());
        }
        for (List<String> row : all) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                b.append(i == row.size() - 1 ? row.get(i) : String.format("%-" + widths[i] + "s  ", row.get(i)));
            }
            out.println(b.toString().stripTrailing());
        }
        out.flush();
    }
}
