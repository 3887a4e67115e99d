package io.tilespark.job;

import static io.tilespark.testing.ImageFiles.ascii;
import static io.tilespark.testing.Manifest.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.tilespark.cv.OpenCv;
import io.tilespark.testing.ImageFiles;
import io.tilespark.testing.Jobs;
import io.tilespark.testing.Manifest;

/**
 * One bad input is one failed manifest row with a one-line reason, never a failed job; the
 * run's exit code then follows --max-failures.
 */
class FailureIsolationJobTest {

    @TempDir
    static Path tmp;
    static Path in;
    /** relative name -> the start of the error its row must carry (null: must be ok). */
    static final Map<String, String> EXPECTED = new LinkedHashMap<>();

    @BeforeAll
    static void inputs() {
        OpenCv.load();
        in = tmp.resolve("in");
        byte[] png = Jobs.image(".png", 48, 64, 3, 1);
        Jobs.write(in, "good/a.png", png);
        EXPECTED.put("good/a.png", null);
        Jobs.write(in, "good/b.jpg", Jobs.image(".jpg", 50, 70, 3, 2));
        EXPECTED.put("good/b.jpg", null);

        Jobs.write(in, "bad/zero.jpg", new byte[0]);
        EXPECTED.put("bad/zero.jpg", "empty file (0 bytes)");
        Jobs.write(in, "bad/page.jpg", ascii("<html><body>404 Not Found</body></html>\n"));
        EXPECTED.put("bad/page.jpg", "not an image");
        Jobs.write(in, "bad/cut.png", ImageFiles.slice(png, 0, png.length / 2));
        EXPECTED.put("bad/cut.png", "truncated PNG");
        byte[] corrupt = png.clone();
        corrupt[corrupt.length - 20] ^= 0x55; // inside the last IDAT: its checksum no longer matches
        Jobs.write(in, "bad/corrupt.png", corrupt);
        EXPECTED.put("bad/corrupt.png", "cannot decode png data");
        // A real decompression bomb: a valid 300 MP PNG of zeros, a few hundred KB on disk.
        org.opencv.core.Mat zeros = new org.opencv.core.Mat(15000, 20000, org.opencv.core.CvType.CV_8UC1,
                org.opencv.core.Scalar.all(0));
        try {
            Jobs.write(in, "bad/bomb.png", ImageFiles.encode(".png", zeros));
        } finally {
            zeros.release();
        }
        EXPECTED.put("bad/bomb.png", "png is 20000x15000 = 300.0 MP, over the limit of 250.0 MP");
        Jobs.write(in, "bad/photo.psd", ascii("8BPS\u0000\u0001 a Photoshop file"));
        EXPECTED.put("bad/photo.psd", "not an image");
        Jobs.write(in, "bad/scan.jp2", ImageFiles.concat(new byte[] {0, 0, 0, 12, 'j', 'P', ' ', ' ', 13, 10,
            (byte) 0x87, 10}, new byte[64]));
        EXPECTED.put("bad/scan.jp2", "jpeg2000 input is not accepted");
    }

    @Test
    void everyBadInputIsAFailedRowAndTheOthersAreWritten() throws Exception {
        Path out = tmp.resolve("out-isolation");
        int code = Jobs.run("--input", in.toString(), "--output", out.toString(), "--ops", "blur:3", "--recursive");
        assertEquals(3, code, "some images failed, the job did not");

        Map<String, JsonNode> rows = Manifest.read(out).byRelative();
        assertEquals(EXPECTED.keySet(), rows.keySet(), "exactly one row per input");
        for (Map.Entry<String, String> e : EXPECTED.entrySet()) {
            JsonNode r = rows.get(e.getKey());
            if (e.getValue() == null) {
                assertEquals("ok", text(r, "status"), e.getKey() + ": " + text(r, "error"));
                assertTrue(Files.size(Path.of(java.net.URI.create(text(r, "output")))) > 0);
            } else {
                assertEquals("failed", text(r, "status"), e.getKey());
                String error = text(r, "error");
                assertTrue(error.startsWith(e.getValue()), e.getKey() + ": " + error);
                assertTrue(!error.contains("\n") && error.length() <= 300, "one line: " + error);
                assertNull(text(r, "output"));
            }
        }
        assertTrue(Files.exists(out.resolve("good/a.png")));
        assertTrue(!Files.exists(out.resolve("bad")), "nothing is written for failed inputs");
    }

    @Test
    void runFailsWhenFailuresPassTheCountBudget() {
        Path out = tmp.resolve("out-budget-count");
        assertEquals(1, Jobs.run("--input", in.toString(), "--output", out.toString(), "--ops", "grey",
                "--recursive", "--max-failures", "6"));
        // The manifest is still complete: the budget is judged after every input has its row.
        assertEquals(EXPECTED.size(), Manifest.read(out).size());
    }

    @Test
    void runSucceedsWithFailuresWithinAPercentBudget() {
        // 7 of 9 failed: 78%, within 80%.
        Path out = tmp.resolve("out-budget-percent");
        assertEquals(3, Jobs.run("--input", in.toString(), "--output", out.toString(), "--ops", "grey",
                "--recursive", "--max-failures", "80%"));
    }

    @Test
    void twoInputsClaimingOneOutputAreNotBothWritten() {
        Path dir = tmp.resolve("in-collide");
        byte[] jpg = Jobs.image(".jpg", 30, 40, 3, 5);
        byte[] png = Jobs.image(".png", 30, 40, 3, 6);
        Jobs.write(dir, "p.jpg", jpg);
        Jobs.write(dir, "p.png", png);
        Path out = tmp.resolve("out-collide");
        assertEquals(3, Jobs.run("--input", dir.toString(), "--output", out.toString(), "--ops", "invert",
                "--format", "png"));
        Map<String, JsonNode> rows = Manifest.read(out).byRelative();
        assertEquals("ok", text(rows.get("p.png"), "status"));
        assertEquals("output path 'p.png' is also the output of 'p.png', which keeps it; rename one of the inputs",
                text(rows.get("p.jpg"), "error"));
        assertEquals("invert", text(rows.get("p.jpg"), "ops"));
    }

    @Test
    void badBudgetIsAUsageErrorAndWritesNothing() {
        Path out = tmp.resolve("out-usage");
        assertEquals(2, Jobs.run("--input", in.toString(), "--output", out.toString(), "--ops", "grey",
                "--max-failures", "lots"));
        assertEquals(2, Jobs.run("--input", in.toString(), "--output", out.toString(), "--ops", "grey",
                "--formats", "jpeg,exr"));
        assertTrue(!Files.exists(out));
    }
}
