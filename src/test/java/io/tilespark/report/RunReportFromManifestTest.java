package io.tilespark.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.tilespark.job.RunResult;

/**
 * The report step on its own, over a manifest written here by Spark's own JSON writer: totals come
 * from every row even when the table is capped, and a capped table still lists every failure.
 */
class RunReportFromManifestTest {

    @TempDir
    Path tmp;

    @Test
    void totalsCoverAllRowsAndFailuresBeyondTheTableCapAreListed() throws Exception {
        SparkSession spark = SparkSession.builder().master("local[1]").appName("report test")
                .config("spark.ui.enabled", "false").getOrCreate();
        try {
            List<Row> rows = new ArrayList<>();
            List<String> relatives = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                ManifestRow r = new ManifestRow();
                r.relative = String.format("r%02d.png", i);
                r.input = "file:/in/" + r.relative;
                r.ops = "invert";
                r.size = 1000 + i;
                r.format = "png";
                r.msOps = 10;
                boolean failed = i == 2 || i == 7 || i == 11;
                r.status = failed ? ManifestRow.FAILED : ManifestRow.OK;
                if (failed) {
                    r.error = "broken number " + i;
                } else {
                    r.width = 100;
                    r.height = 50;
                    r.tiles = 2;
                    r.bytesOut = 500;
                }
                rows.add(r.toRow());
                relatives.add(r.relative);
            }
            Path meta = tmp.resolve("out/_tilespark");
            String manifest = meta.resolve("manifest").toString();
            spark.createDataFrame(rows, ManifestRow.schema()).coalesce(1).write().json(manifest);
            Path staging = tmp.resolve("out/_tilespark/_staging/run1");
            Path thumbs = staging.resolve("thumbs");
            Files.createDirectories(thumbs);
            for (String f : new String[] {"0-before.jpg", "0-after.jpg", "5-before.jpg", "5-after.jpg", "9-before.jpg"}) {
                Files.write(thumbs.resolve(f), f.getBytes(StandardCharsets.US_ASCII));
            }

            RunReport.Run run = new RunReport.Run("run1", System.currentTimeMillis() - 5000, "/in", tmp.resolve("out").toString(),
                    "invert", "input=/in ops=invert", Thumbnails.sample(12, 24), relatives);
            org.apache.hadoop.fs.Path manifestPath = new org.apache.hadoop.fs.Path(meta.resolve("manifest").toUri());
            ManifestDigest digest = Compaction.digest(manifestPath.getFileSystem(spark.sparkContext().hadoopConfiguration()),
                    manifestPath, new ManifestDigest(5, 1000));
            RunResult result = RunReport.write(spark.sparkContext(), run, digest, manifestPath,
                    new org.apache.hadoop.fs.Path(meta.toUri()), new org.apache.hadoop.fs.Path(staging.toUri()));

            assertEquals(9, result.ok);
            assertEquals(3, result.failed);
            assertEquals(3, result.exitCode());
            JsonNode s = new ObjectMapper().readTree(meta.resolve("summary.json").toFile());
            assertEquals(12, s.path("images").path("listed").asInt());
            assertEquals(9 * 100 * 50 / 1e6, s.path("megapixels").asDouble(), 1e-9);
            assertEquals(18, s.path("tiles").asLong());
            assertEquals(12 * 1000 + 66, s.path("bytes_in").asLong());
            assertEquals(9 * 500, s.path("bytes_out").asLong());
            assertEquals(120, s.path("task_ms_by_phase").path("ops").asLong());

            String html = new String(Files.readAllBytes(meta.resolve("report.html")), StandardCharsets.UTF_8);
            assertTrue(html.contains("Showing the first 5 of 12 images by path"), "capped note");
            for (String f : new String[] {"r02.png", "r07.png", "r11.png"}) {
                assertTrue(html.contains("<tr class=\"failed\"><td><code>" + f + "</code>"), "failure row " + f);
            }
            assertTrue(!html.contains("<code>r07.png</code></td><td><span"), "r07 is beyond the capped table");
            assertEquals(4, html.split("<img class=\"thumb\"", -1).length - 1, "two complete pairs, 9 has no after");
        } finally {
            spark.stop();
        }
    }
}
