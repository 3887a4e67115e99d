package io.tilespark.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A run's manifest as written on disk (JSON lines under _tilespark/manifest/), read without Spark. */
public final class Manifest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<JsonNode> rows;

    private Manifest(List<JsonNode> rows) {
        this.rows = rows;
    }

    public static Manifest read(Path output) {
        Path dir = output.resolve("_tilespark/manifest");
        List<JsonNode> rows = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files.sorted()::iterator) {
                String name = f.getFileName().toString();
                if (!name.startsWith("part-")) {
                    continue;
                }
                for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                    if (!line.trim().isEmpty()) {
                        rows.add(JSON.readTree(line));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Manifest(rows);
    }

    public List<JsonNode> rows() {
        return rows;
    }

    public int size() {
        return rows.size();
    }

    /** Rows by relative path; fails on a duplicate. */
    public Map<String, JsonNode> byRelative() {
        Map<String, JsonNode> m = new LinkedHashMap<>();
        for (JsonNode r : rows) {
            String rel = r.get("relative").asText();
            if (m.put(rel, r) != null) {
                throw new AssertionError("two manifest rows for " + rel);
            }
        }
        return m;
    }

    public static String text(JsonNode row, String field) {
        JsonNode v = row.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
