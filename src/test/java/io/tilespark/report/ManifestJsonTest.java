package io.tilespark.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.tilespark.ops.Finding;

/**
 * The job writes manifest lines itself (an RDD action) and Spark SQL reads them back, so each line
 * must be exactly what Spark's own JSON writer would produce for the row, awkward strings included.
 */
class ManifestJsonTest {

    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[1]").appName("ManifestJsonTest")
                .config("spark.ui.enabled", "false").getOrCreate();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    static ManifestRow row(String relative, String error, String notes) {
        ManifestRow r = new ManifestRow();
        r.input = "file:/in/" + relative;
        r.relative = relative;
        r.size = 123456789012L;
        r.mtime = 1795750947229L;
        r.width = 4000;
        r.height = 3000;
        r.channels = 3;
        r.format = "jpeg";
        r.ops = "median:7,blur:9,canny:50:150";
        r.tiles = 12;
        r.output = error == null ? "file:/out/" + relative : null;
        r.status = error == null ? ManifestRow.OK : ManifestRow.FAILED;
        r.error = error;
        r.notes = notes;
        r.msRead = 1;
        r.msDecode = 62;
        r.msOps = 0;
        r.msStitch = 7;
        r.msEncode = 40;
        r.msWrite = 3;
        r.bytesOut = -1;
        return r;
    }

    @Test
    void linesEqualSparksOwnJsonForTheSameRowsAndReadBackUnchanged() {
        List<ManifestRow> rows = Arrays.asList(
                row("plain.jpg", null, null),
                row("dir/quote \"and\" back\\slash.jpg", "cannot decode: \n\ttab\r\u0001\u001f", "alpha dropped; é ü 雪 \u2028"),
                row("emoji-\uD83D\uDE00.png", null, ""));
        List<Row> sparkRows = Arrays.asList(rows.get(0).toRow(), rows.get(1).toRow(), rows.get(2).toRow());
        List<String> expected = spark.createDataFrame(sparkRows, ManifestRow.schema()).toJSON().collectAsList();
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(expected.get(i), ManifestJson.partsLine(rows.get(i)));
        }

        Dataset<String> lines = spark.createDataset(
                Arrays.asList(ManifestJson.partsLine(rows.get(0)), ManifestJson.partsLine(rows.get(1)), ManifestJson.partsLine(rows.get(2))),
                Encoders.STRING());
        List<Row> back = spark.read().schema(ManifestRow.schema()).json(lines).collectAsList();
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(sparkRows.get(i), back.get(i));
        }
    }

    @Test
    void partLinesWithFindingsEqualSparksOwnJsonAndReadBackUnchanged() {
        ManifestRow found = row("scene.jpg", null, null);
        found.analysis = Arrays.asList(
                Finding.box("detect:faces", "faces", 10, 20, 30, 40, 3.0),
                Finding.count("orb:500", "keypoints", null, 417, 12.625),
                Finding.value("stats", "sharpness", "grey", 1.0E-7),
                Finding.value("stats", "mean", "b", Double.NaN),
                Finding.value("stats", "stddev", "g", Double.POSITIVE_INFINITY),
                Finding.values("stats", "histogram", "r \"red\"", new double[] {0.0, 1.5e300, -2.25, Double.NEGATIVE_INFINITY}));
        ManifestRow none = row("empty.jpg", null, null);
        none.analysis = Collections.emptyList();
        ManifestRow failed = row("broken.jpg", "encode failed", null);
        failed.analysis = Collections.singletonList(Finding.value("stats", "mean", "b", 1.0));
        List<ManifestRow> rows = Arrays.asList(found, none, failed, row("plain.jpg", null, "n"));
        List<Row> sparkRows = new ArrayList<>();
        for (ManifestRow r : rows) {
            sparkRows.add(AnalysisTable.partsRow(r));
        }
        Dataset<Row> frame = spark.createDataFrame(sparkRows, AnalysisTable.partsSchema());
        List<String> expected = frame.toJSON().collectAsList();
        List<Row> expectedRows = frame.collectAsList();
        List<String> mine = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            mine.add(ManifestJson.partsLine(rows.get(i)));
            assertEquals(expected.get(i), mine.get(i));
        }
        assertTrue(mine.get(0).contains("\"analysis\":[{"), mine.get(0));

        List<Row> back = spark.read().schema(AnalysisTable.partsSchema())
                .json(spark.createDataset(mine, Encoders.STRING())).collectAsList();
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(expectedRows.get(i), back.get(i));
        }
    }

    @Test
    void manifestLinesLeaveTheFindingsOut() {
        ManifestRow found = row("scene.jpg", null, null);
        found.analysis = Collections.singletonList(Finding.value("stats", "mean", "b", 1.0));
        String expected = spark.createDataFrame(Collections.singletonList(found.toRow()), ManifestRow.schema())
                .toJSON().collectAsList().get(0);
        assertEquals(expected, ManifestJson.manifestLine(found));
        assertTrue(ManifestJson.partsLine(found).startsWith(expected.substring(0, expected.length() - 1) + ",\"analysis\":["));
    }

    @Test
    void analysisLinesEqualSparksWriterWithNullFieldsKept() {
        List<Finding> findings = Arrays.asList(
                Finding.box("detect:faces", "faces", 10, 20, 30, 40, 3.0),
                Finding.count("orb:500", "keypoints", null, 417, null),
                Finding.value("stats", "mean", "b\"\n", Double.NaN),
                Finding.values("stats", "histogram", "r", new double[] {0.0, 1.5e300, -2.25, Double.POSITIVE_INFINITY}));
        List<Row> rows = new ArrayList<>();
        for (Finding f : findings) {
            rows.add(org.apache.spark.sql.RowFactory.create("file:/in/é.jpg", "é.jpg", f.analyzer, f.kind, f.label, f.x, f.y,
                    f.w, f.h, f.count, f.score, f.value, f.values()));
        }
        SparkSession nulls = spark.newSession();
        nulls.conf().set("spark.sql.jsonGenerator.ignoreNullFields", "false");
        List<String> expected = nulls.createDataFrame(rows, AnalysisTable.schema()).toJSON().collectAsList();
        for (int i = 0; i < findings.size(); i++) {
            assertEquals(expected.get(i), ManifestJson.analysisLine("file:/in/é.jpg", "é.jpg", findings.get(i)));
        }
        assertTrue(expected.get(1).contains("\"label\":null,\"x\":null"), expected.get(1));
    }
}
