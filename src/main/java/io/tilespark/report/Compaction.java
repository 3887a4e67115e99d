package io.tilespark.report;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.tilespark.ops.Finding;

/**
 * Turns the part files of the run's result stage into the manifest (one JSON-lines file) and, for
 * a plan with analyzers, the analysis table, while summing the rows up for the run report. It
 * runs on the driver, streaming the parts line by line: a manifest line is some hundreds of bytes
 * per image, so even a large run is read in well under a second, where a Spark SQL job for the
 * same work cost seconds of planning, code generation and task start-up after the last image.
 * Memory stays bounded by the report's caps ({@link ManifestDigest}), not by the image count.
 *
 * <p>Both tables are written in full into the run's staging folder first and then moved into
 * place, so a reader sees the previous table or the new one, never part of one. The files are
 * laid out as Spark's writers lay them out ({@code part-00000-<run>-c000.json} and a
 * {@code _SUCCESS} marker), and each line is what Spark's JSON writer prints for the row.
 */
public final class Compaction {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Compaction() {
    }

    /**
     * Compacts the part files under {@code parts} into {@code manifest} and, when not null,
     * {@code analysis}, replacing earlier ones, and returns the digest of every row.
     *
     * @param staging the run's staging folder, on the same file system as the tables
     */
    public static ManifestDigest compact(FileSystem fs, Path parts, Path manifest, Path analysis, Path staging,
                                         String runId, ManifestDigest digest) throws IOException {
        fs.setWriteChecksum(false);
        Path newManifest = new Path(staging, "manifest");
        Path newAnalysis = analysis == null ? null : new Path(staging, "analysis");
        String file = "part-00000-" + runId + "-c000.json";
        try (Table m = new Table(fs, new Path(newManifest, file));
             Table a = newAnalysis == null ? null : new Table(fs, new Path(newAnalysis, file))) {
            readRows(fs, parts, r -> {
                m.line(ManifestJson.manifestLine(r));
                if (a != null && ManifestRow.OK.equals(r.status) && r.analysis != null) {
                    for (Finding f : r.analysis) {
                        a.line(ManifestJson.analysisLine(r.input, r.relative, f));
                    }
                }
                digest.add(r);
            });
        }
        fs.create(new Path(newManifest, "_SUCCESS"), true).close();
        publish(fs, newManifest, manifest);
        if (analysis != null) {
            fs.create(new Path(newAnalysis, "_SUCCESS"), true).close();
            publish(fs, newAnalysis, analysis);
        }
        return digest;
    }

    /** Reads a written manifest (Spark's or the job's) into a digest. */
    public static ManifestDigest digest(FileSystem fs, Path manifest, ManifestDigest digest) throws IOException {
        readRows(fs, manifest, digest::add);
        return digest;
    }

    /** What is done with each row read. */
    private interface RowSink {
        void accept(ManifestRow r) throws IOException;
    }

    /** Streams every row of a table folder's data files, file by file, line by line. */
    private static void readRows(FileSystem fs, Path dir, RowSink sink) throws IOException {
        for (Path part : partFiles(fs, dir)) {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(fs.open(part), StandardCharsets.UTF_8))) {
                String line;
                int n = 0;
                while ((line = in.readLine()) != null) {
                    n++;
                    if (!line.isEmpty()) {
                        sink.accept(parse(line, part, n));
                    }
                }
            }
        }
    }

    /** The data files of a table folder, by name: what Spark reads, in the order it lists them. */
    static List<Path> partFiles(FileSystem fs, Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        for (FileStatus s : fs.listStatus(dir)) {
            String name = s.getPath().getName();
            if (s.isFile() && name.startsWith("part-")) {
                files.add(s.getPath());
            }
        }
        files.sort(null);
        return files;
    }

    private static void publish(FileSystem fs, Path staged, Path dest) throws IOException {
        if (fs.exists(dest) && !fs.delete(dest, true)) {
            throw new IOException("could not replace " + dest);
        }
        if (!fs.rename(staged, dest)) {
            throw new IOException("could not move " + staged + " to " + dest);
        }
    }

    /** A manifest or part-file line as a row, with its findings when it has them. */
    static ManifestRow parse(String line, Path file, int lineNo) throws IOException {
        JsonNode n;
        try {
            n = JSON.readTree(line);
        } catch (IOException e) {
            throw new IOException("unreadable manifest line " + lineNo + " of " + file + ": " + e.getMessage(), e);
        }
        if (n == null || !n.isObject()) {
            throw new IOException("manifest line " + lineNo + " of " + file + " is not a JSON object");
        }
        ManifestRow r = new ManifestRow();
        r.input = text(n, "input");
        r.relative = text(n, "relative");
        r.size = n.path("size").asLong();
        r.mtime = n.path("mtime").asLong();
        r.width = n.path("width").asInt();
        r.height = n.path("height").asInt();
        r.channels = n.path("channels").asInt();
        r.format = text(n, "format");
        r.ops = text(n, "ops");
        r.tiles = n.path("tiles").asInt();
        r.output = text(n, "output");
        r.status = text(n, "status");
        r.error = text(n, "error");
        r.notes = text(n, "notes");
        r.msRead = n.path("ms_read").asLong();
        r.msDecode = n.path("ms_decode").asLong();
        r.msOps = n.path("ms_ops").asLong();
        r.msStitch = n.path("ms_stitch").asLong();
        r.msEncode = n.path("ms_encode").asLong();
        r.msWrite = n.path("ms_write").asLong();
        r.bytesOut = n.path("bytes_out").asLong();
        JsonNode found = n.get(AnalysisTable.PARTS_COLUMN);
        if (found != null && found.isArray()) {
            List<Finding> list = new ArrayList<>(found.size());
            for (JsonNode f : found) {
                list.add(Finding.of(text(f, "analyzer"), text(f, "kind"), text(f, "label"), integer(f, "x"),
                        integer(f, "y"), integer(f, "w"), integer(f, "h"), integer(f, "count"), dbl(f.get("score")),
                        dbl(f.get("value")), doubles(f.get("values"))));
            }
            r.analysis = list;
        }
        return r;
    }

    private static String text(JsonNode n, String k) {
        JsonNode v = n.get(k);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Integer integer(JsonNode n, String k) {
        JsonNode v = n.get(k);
        return v == null || v.isNull() ? null : v.intValue();
    }

    /** Spark writes NaN and the infinities as strings ("NaN", "Infinity", "-Infinity"). */
    private static Double dbl(JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
        return v.isTextual() ? Double.parseDouble(v.asText()) : v.doubleValue();
    }

    private static double[] doubles(JsonNode v) {
        if (v == null || !v.isArray()) {
            return null;
        }
        double[] out = new double[v.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = dbl(v.get(i));
        }
        return out;
    }

    /** A JSON-lines file being written. */
    private static final class Table implements Closeable {
        private final Writer out;

        Table(FileSystem fs, Path file) throws IOException {
            this.out = new BufferedWriter(new OutputStreamWriter(fs.create(file, true), StandardCharsets.UTF_8), 1 << 16);
        }

        void line(String s) throws IOException {
            out.write(s);
            out.write('\n');
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
