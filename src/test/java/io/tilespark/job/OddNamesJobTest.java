package io.tilespark.job;

import static io.tilespark.testing.Manifest.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;

import com.fasterxml.jackson.databind.JsonNode;

import io.tilespark.cv.OpenCv;
import io.tilespark.testing.Jobs;
import io.tilespark.testing.Manifest;

/**
 * File names that trip URI parsing (spaces, non-ASCII, '#', '%', ':', quotes, dots) survive the
 * real job on local files: read, written at the same relative path, recorded in the manifest
 * and the journal, and recognised as unchanged by the next incremental run. A folder named
 * "file:" cannot redirect an output out of the output root.
 */
class OddNamesJobTest {

    @TempDir
    Path tmp;

    @Test
    void oddNamesRoundTripAndNothingEscapesTheOutputRoot() throws Exception {
        OpenCv.load();
        Path in = tmp.resolve("in dir #1");
        Path out = tmp.resolve("out 100%");
        // If "file:" were read as a URI scheme, this input would be written to <tmp>/escaped/evil.png.
        String escaper = "file:" + tmp.resolve("escaped").toAbsolutePath() + "/evil.png";
        List<String> names = List.of("a b.png", "ünïcødé/日本語.png", "x#1.png", "100%.png", "p%20q.png", "v1.2.3.png",
                "a..b.png", "a:b.png", "quote\"d.png", "trailing.", "{braces} [and] (parens).png",
                "semi;colon+plus=eq&amp.png", "deep/er/still/z.png", escaper);
        for (int i = 0; i < names.size(); i++) {
            Jobs.write(in, names.get(i), Jobs.image(".png", 20 + i, 30, 3, i));
        }
        assertEquals(0, Jobs.run("--input", in.toString(), "--output", out.toString(), "--ops", "invert",
                "--recursive", "--incremental"));

        Map<String, JsonNode> rows = Manifest.read(out).byRelative();
        assertEquals(names.size(), rows.size(), rows.keySet().toString());
        for (Map.Entry<String, JsonNode> e : rows.entrySet()) {
            String rel = e.getKey();
            assertEquals("ok", text(e.getValue(), "status"), rel + ": " + text(e.getValue(), "error"));
            String expectedRel = rel.equals("trailing.") ? "trailing.png" : rel;
            Path written = out.resolve(expectedRel);
            assertTrue(Files.isRegularFile(written), "output for " + rel + " at " + written);
            Mat m = Imgcodecs.imdecode(new MatOfByte(Files.readAllBytes(written)), Imgcodecs.IMREAD_UNCHANGED);
            try {
                assertEquals(30, m.cols(), rel);
            } finally {
                m.release();
            }
            assertEquals(written.toAbsolutePath().toString(),
                    new org.apache.hadoop.fs.Path(text(e.getValue(), "output")).toUri().getPath(), rel);
        }
        assertFalse(Files.exists(tmp.resolve("escaped")), "an output left the output root");

        // The names also survive the manifest/journal round trip: a second run skips every one.
        byte[] before = Files.readAllBytes(out.resolve("ünïcødé/日本語.png"));
        assertEquals(0, Jobs.run("--input", in.toString(), "--output", out.toString(), "--ops", "invert",
                "--recursive", "--incremental"));
        TreeSet<String> statuses = new TreeSet<>();
        Manifest.read(out).rows().forEach(r -> statuses.add(text(r, "status")));
        assertEquals(new TreeSet<>(List.of("skipped")), statuses);
        assertArrayEquals(before, Files.readAllBytes(out.resolve("ünïcødé/日本語.png")));
    }
}
