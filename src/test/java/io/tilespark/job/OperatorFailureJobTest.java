package io.tilespark.job;

import static io.tilespark.testing.Manifest.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;

import com.fasterxml.jackson.databind.JsonNode;

import io.tilespark.cv.OpenCv;
import io.tilespark.ops.Operator;
import io.tilespark.ops.Plan;
import io.tilespark.testing.ImageFiles;
import io.tilespark.testing.Jobs;
import io.tilespark.testing.Manifest;

/** An operator that throws on one image fails that image only. */
class OperatorFailureJobTest {

    /** Copies its input, but throws on a tile that is almost white: a stand-in for a real operator bug. */
    static final class FailsOnWhite implements Operator {
        private static final long serialVersionUID = 1L;

        @Override
        public String spec() {
            return "fails-on-white";
        }

        @Override
        public int halo() {
            return 0;
        }

        @Override
        public Locality locality() {
            return Locality.TILED;
        }

        @Override
        public void apply(Mat src, Mat dst) {
            if (Core.mean(src).val[0] > 250) {
                throw new IllegalStateException("cannot handle\na white tile");
            }
            src.copyTo(dst);
        }
    }

    @TempDir
    Path tmp;

    @Test
    void operatorErrorOnOneImageIsAFailedRow() throws Exception {
        OpenCv.load();
        Path in = tmp.resolve("in");
        Path out = tmp.resolve("out");
        Mat white = new Mat(100, 120, CvType.CV_8UC3, Scalar.all(255));
        try {
            Jobs.write(in, "white.png", ImageFiles.encode(".png", white));
        } finally {
            white.release();
        }
        Jobs.write(in, "scene.png", Jobs.image(".png", 100, 120, 3, 9));
        SparkSession spark = SparkSession.builder().master("local[2]").appName("operator failure")
                .config("spark.hadoop.fs.file.impl", "org.apache.hadoop.fs.RawLocalFileSystem").getOrCreate();
        RunResult r;
        try {
            JobSpec spec = JobSpec.builder(in.toString(), out.toString(), Plan.of(List.of(new FailsOnWhite())))
                    .tile(64).build();
            r = new TileJob(spark, spec).run();
        } finally {
            spark.stop();
        }
        assertEquals(1, r.ok);
        assertEquals(1, r.failed);
        assertEquals(3, r.exitCode());
        Map<String, JsonNode> rows = Manifest.read(out).byRelative();
        String error = text(rows.get("white.png"), "error");
        assertTrue(error.startsWith("operator failed on"), error);
        assertTrue(error.contains("cannot handle a white tile"), "one line: " + error);
        assertEquals("ok", text(rows.get("scene.png"), "status"));
        assertTrue(Files.exists(out.resolve("scene.png")));
        assertTrue(!Files.exists(out.resolve("white.png")));
    }
}
