package io.weir.tools;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * Rows of a command's answer, printed either as an aligned table under upper-case headers ({@code CURRENT-OFFSET},
 * as Kafka's tools print them) or as a JSON array of objects whose field names are the headers in camel case
 * ({@code currentOffset}). Absent values ({@code null}, an empty {@code Optional}) print as {@code -} in a table
 * and {@code null} in JSON; collections as comma-separated text and JSON arrays.
 */
final class Table {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final List<String> headers;
    private final List<List<Object>> rows = new ArrayList<>();

    Table(String... headers) {
        this.headers = List.of(headers);
    }

    Table add(Object... values) {
        if (values.length != headers.size()) {
            throw new IllegalArgumentException(values.length + " values for " + headers.size() + " columns");
        }
        List<Object> row = new ArrayList<>(values.length);
        for (Object value : values) {
            row.add(plain(value));
        }
        rows.add(row);
        return this;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    void print(PrintWriter out, OutputOptions output) {
        if (output.json()) {
            printJson(out, jsonRows());
        } else {
            printAligned(out);
        }
    }

    List<Map<String, Object>> jsonRows() {
        List<Map<String, Object>> objects = new ArrayList<>(rows.size());
        for (List<Object> row : rows) {
            Map<String, Object> object = new LinkedHashMap<>();
            for (int i = 0; i < headers.size(); i++) {
                object.put(jsonName(headers.get(i)), row.get(i));
            }
            objects.add(object);
        }
        return objects;
    }

    private void printAligned(PrintWriter out) {
        int[] widths = new int[headers.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = headers.get(i).length();
        }
        List<List<String>> texts = new ArrayList<>(rows.size());
        for (List<Object> row : rows) {
            List<String> text = new ArrayList<>(row.size());
            for (int i = 0; i < row.size(); i++) {
                String cell = text(row.get(i));
                widths[i] = Math.max(widths[i], cell.length());
                text.add(cell);
            }
            texts.add(text);
        }
        out.println(line(headers, widths));
        for (List<String> text : texts) {
            out.println(line(text, widths));
        }
        out.flush();
    }

    private static String line(List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            line.append(cells.get(i));
            if (i < cells.size() - 1) {
                line.append(" ".repeat(widths[i] - cells.get(i).length() + 2));
            }
        }
        return line.toString();
    }

    static void printJson(PrintWriter out, Object value) {
        try {
            out.println(JSON.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getName() + " as JSON", e);
        }
        out.flush();
    }

    /** {@code CURRENT-OFFSET} → {@code currentOffset}, {@code #PARTITIONS} → {@code partitions}. */
    static String jsonName(String header) {
        StringBuilder name = new StringBuilder();
        boolean upper = false;
        for (char c : header.toCharArray()) {
            if (c == '-' || c == '_' || c == ' ') {
                upper = name.length() > 0;
            } else if (Character.isLetterOrDigit(c)) {
                name.append(upper ? Character.toUpperCase(c) : Character.toLowerCase(c));
                upper = false;
            }
        }
        return name.toString();
    }

    private static Object plain(Object value) {
        if (value instanceof Optional<?> optional) {
            return optional.map(Table::plain).orElse(null);
        }
        if (value instanceof OptionalLong optional) {
            return optional.isPresent() ? optional.getAsLong() : null;
        }
        if (value instanceof OptionalInt optional) {
            return optional.isPresent() ? optional.getAsInt() : null;
        }
        if (value instanceof Collection<?> collection) {
            return collection.stream().map(Table::plain).collect(Collectors.toList());
        }
        if (value instanceof Enum<?> || value instanceof io.weir.common.TopicPartition) {
            return value.toString();
        }
        return value;
    }

    private static String text(Object value) {
        if (value == null) {
            return "-";
        }
        if (value instanceof Collection<?> collection) {
            return collection.isEmpty()
                    ? "-"
                    : collection.stream().map(Table::text).collect(Collectors.joining(","));
        }
        return value.toString();
    }
}
