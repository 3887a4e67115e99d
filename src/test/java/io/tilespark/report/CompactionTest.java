package io.tilespark.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tilespark.ops.Finding;

/**
 * The driver compacts the result stage's part files into the manifest and the analysis table.
 * Those tables must be what Spark SQL itself would have written from the same parts (compared
 * here line by line with Spark's writer), read back unchanged, and be summed up exactly.
 */
class CompactionTest {

    private static SparkSession spark;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[1]").appName("CompactionTest")
                .config("spark.ui.enabled", "false").getOrCreate();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static List<ManifestRow> rows() {
        ManifestRow found = ManifestJsonTest.row("b/scene.jpg", null, "turned upright");
        found.analysis = Arrays.asList(
                Finding.box("detect:faces", "faces", 10, 20, 30, 40, 3.0),
                Finding.count("orb:500", "keypoints", null, 417, 12.625),
                Finding.value("stats", "mean", "b", Double.NaN),
                Finding.values("stats", "histogram", "r \"red\"", new double[] {0.0, 1.5e300, Double.NEGATIVE_INFINITY}));
        ManifestRow none = ManifestJsonTest.row("a/empty.jpg", null, null);
        none.analysis = Collections.emptyList();
        ManifestRow failed = ManifestJsonTest.row("c/broken.jpg", "cannot decode: truncated\n", null);
        failed.analysis = Collections.singletonList(Finding.value("stats", "mean", "b", 1.0));
        ManifestRow odd = ManifestJsonTest.row("é/雪 \"q\".png", null, null);
        odd.analysis = Collections.singletonList(Finding.value("stats", "sharpness", "grey", 1.0E-7));
        return Arrays.asList(found, none, failed, odd, ManifestJsonTest.row("d/plain.jpg", null, ""));
    }

    /** Writes the rows as the result stage does: part lines, spread over several part files. */
    private Path writeParts(List<ManifestRow> rows) throws IOException {
        Path parts = tmp.resolve("out/_tilespark/parts-run1");
        Files.createDirectories(parts);
        List<String> first = new ArrayList<>();
        List<String> second = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            (i < 2 ? first : second).add(ManifestJson.partsLine(rows.get(i)));
        }
        Files.write(parts.resolve("part-00000"), first, StandardCharsets.UTF_8);
        Files.write(parts.resolve("part-00001"), Collections.<String>emptyList(), StandardCharsets.UTF_8);
        Files.write(parts.resolve("part-00002"), second, StandardCharsets.UTF_8);
        Files.write(parts.resolve("_SUCCESS"), new byte[0]);
        return parts;
    }

    private static org.apache.hadoop.fs.Path hp(Path p) {
        return new org.apache.hadoop.fs.Path(p.toUri());
    }

    private static List<String> dataLines(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            List<String> out = new ArrayList<>();
            for (Path p : s.filter(f -> f.getFileName().toString().startsWith("part-")).sorted().collect(Collectors.toList())) {
                out.addAll(Files.readAllLines(p, StandardCharsets.UTF_8));
            }
            return out;
        }
    }

    private static List<String> sorted(List<String> lines) {
        List<String> out = new ArrayList<>(lines);
        Collections.sort(out);
        return out;
    }

    @Test
    void tablesEqualWhatSparkSqlWritesFromTheSamePartsAndReadBackUnchanged() throws IOException {
        Path parts = writeParts(rows());
        Path meta = tmp.resolve("out/_tilespark");
        // Spark SQL's own compaction of the same parts: the reference, line for line.
        Dataset<Row> all = spark.read().schema(AnalysisTable.partsSchema()).json(parts.toString());
        List<Column> m = new ArrayList<>();
        for (String n : ManifestRow.schema().fieldNames()) {
            m.add(functions.col(n));
        }
        all.select(m.toArray(new Column[0])).coalesce(1).write().json(tmp.resolve("spark-manifest").toString());
        List<Column> a = new ArrayList<>();
        a.add(functions.col("input"));
        a.add(functions.col("relative"));
        for (String n : AnalysisTable.findingSchema().fieldNames()) {
            a.add(functions.col("f." + n).as(n));
        }
        all.select(functions.col("input"), functions.col("relative"),
                        functions.explode(functions.col(AnalysisTable.PARTS_COLUMN)).as("f"))
                .select(a.toArray(new Column[0])).coalesce(1).write().option("ignoreNullFields", "false")
                .json(tmp.resolve("spark-analysis").toString());

        FileSystem fs = hp(tmp).getFileSystem(new Configuration());
        Files.createDirectories(meta.resolve("manifest"));
        Files.write(meta.resolve("manifest/part-00000-old-c000.json"), Collections.singletonList("{\"stale\":1}"),
                StandardCharsets.UTF_8);
        ManifestDigest digest = Compaction.compact(fs, hp(parts), hp(meta.resolve("manifest")),
                hp(meta.resolve("analysis")), hp(meta.resolve("_staging/run1")), "run1", new ManifestDigest());

        // The same lines; the order differs only in that Spark reads the largest part file first,
        // where the compaction keeps the result stage's partition order.
        List<String> manifest = dataLines(meta.resolve("manifest"));
        assertEquals(sorted(dataLines(tmp.resolve("spark-manifest"))), sorted(manifest));
        List<String> expectedOrder = new ArrayList<>();
        for (ManifestRow r : rows()) {
            expectedOrder.add(ManifestJson.manifestLine(r));
        }
        assertEquals(expectedOrder, manifest);
        List<String> analysis = dataLines(meta.resolve("analysis"));
        assertEquals(sorted(dataLines(tmp.resolve("spark-analysis"))), sorted(analysis));
        assertEquals(5, analysis.size(), "four findings of scene.jpg, one of the odd name, none of the failed image");
        assertTrue(analysis.get(0).contains("\"relative\":\"b/scene.jpg\",\"analyzer\":\"detect:faces\",\"kind\":\"box\",\"label\":\"faces\",\"x\":10"),
                analysis.get(0));
        assertTrue(analysis.get(1).contains("\"label\":null"), analysis.get(1));
        try (Stream<Path> s = Files.list(meta.resolve("manifest"))) {
            assertEquals(Arrays.asList("_SUCCESS", "part-00000-run1-c000.json"),
                    s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList()),
                    "the earlier manifest is replaced, not added to");
        }
        assertFalse(Files.exists(meta.resolve("_staging/run1/manifest")), "moved into place");

        List<Row> back = spark.read().schema(ManifestRow.schema()).json(meta.resolve("manifest").toString()).collectAsList();
        List<Row> expected = new ArrayList<>();
        for (ManifestRow r : rows()) {
            expected.add(r.toRow());
        }
        assertEquals(expected, back);
        assertEquals(5, digest.rows());
        assertEquals(4, digest.ok);
        assertEquals(1, digest.failed);
    }

    @Test
    void digestSumsEveryRowAndKeepsTheFirstRowsByPathInSparksStringOrder() throws IOException {
        List<ManifestRow> rows = new ArrayList<>();
        // U+FF21 sorts before U+1F600 by code point (and by UTF-8 bytes, as Spark sorts), but
        // after it by UTF-16 unit, as String.compareTo would have it.
        String[] names = {"z.png", "\uD83D\uDE00.png", "\uFF21.png", "a.png", "m.png", "b.png", "c.png"};
        for (int i = 0; i < names.length; i++) {
            ManifestRow r = ManifestJsonTest.row(names[i], i % 3 == 0 ? "broken " + i : null, null);
            r.size = 100 + i;
            r.bytesOut = r.error == null ? 10 : 0;
            r.width = 10;
            r.height = 10 + i;
            rows.add(r);
        }
        ManifestRow skipped = ManifestJsonTest.row("s.png", null, null);
        skipped.status = ManifestRow.SKIPPED;
        rows.add(skipped);
        Files.createDirectories(tmp.resolve("m"));
        List<String> lines = new ArrayList<>();
        for (ManifestRow r : rows) {
            lines.add(ManifestJson.manifestLine(r));
        }
        Files.write(tmp.resolve("m/part-00000-x-c000.json"), lines, StandardCharsets.UTF_8);
        FileSystem fs = hp(tmp).getFileSystem(new Configuration());
        ManifestDigest d = Compaction.digest(fs, hp(tmp.resolve("m")), new ManifestDigest(4, 2));

        assertEquals(8, d.rows());
        assertEquals(4, d.ok, "rows 1, 2, 4, 5");
        assertEquals(3, d.failed, "rows 0, 3, 6");
        assertEquals(1, d.skipped);
        assertEquals(10L * (11 + 12 + 14 + 15), d.pixels);
        assertEquals(100 + 101 + 102 + 103 + 104 + 105 + 106 + skipped.size, d.bytesIn);
        assertEquals(40, d.bytesOut);
        assertEquals(8 * 62, d.phaseMillis[1], "decode ms of every row");

        List<String> sparkOrder = new ArrayList<>();
        for (Row r : spark.read().schema(ManifestRow.schema()).json(tmp.resolve("m").toString())
                .orderBy("relative").limit(4).collectAsList()) {
            sparkOrder.add(r.getAs("relative"));
        }
        assertEquals(Arrays.asList("a.png", "b.png", "c.png", "m.png"), sparkOrder);
        assertEquals(sparkOrder, d.table().stream().map(r -> r.relative).collect(Collectors.toList()));
        assertEquals(Arrays.asList("a.png", "c.png"), d.failures().stream().map(r -> r.relative).collect(Collectors.toList()),
                "the first two failures by path");

        List<String> all = new ArrayList<>();
        for (Row r : spark.read().schema(ManifestRow.schema()).json(tmp.resolve("m").toString())
                .orderBy("relative").collectAsList()) {
            all.add(r.getAs("relative"));
        }
        ManifestDigest big = Compaction.digest(fs, hp(tmp.resolve("m")), new ManifestDigest(100, 100));
        assertEquals(all, big.table().stream().map(r -> r.relative).collect(Collectors.toList()));
        assertTrue(all.indexOf("\uFF21.png") < all.indexOf("\uD83D\uDE00.png"), all.toString());
    }
}
