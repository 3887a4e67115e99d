package io.tilespark.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.tilespark.Main;
import io.tilespark.cv.OpenCv;
import io.tilespark.ops.Plan;
import io.tilespark.testing.Manifest;
import io.tilespark.testing.TestInputs;

/**
 * Fewer images than task slots: each image is shared by several tasks, each decoding it and
 * processing every n-th tile ({@link Share}). Outputs must still equal the whole-image result
 * byte for byte, with alpha, with a whole-image tail (Canny's hysteresis), with an image too small
 * to give every share a tile, and a broken image must fail once, as one row, in every share.
 */
class SharedImagesTest {

    @TempDir
    Path tmp;

    @BeforeAll
    static void load() {
        OpenCv.load();
    }

    @ParameterizedTest(name = "{0} tile {1}")
    @CsvSource({
        "'grey,canny:50:150', 97",
        "'median:5,sharpen,dilate:3', 64",
    })
    void sharedImagesEqualTheWholeImageResult(String ops, int tile) throws Exception {
        Path in = tmp.resolve("in");
        Files.createDirectories(in);
        Files.copy(Paths.get("sample-images/badge-alpha-800x600.png"), in.resolve("badge-alpha-800x600.png"));
        Files.copy(Paths.get("sample-images/odd-641x479.png"), in.resolve("odd-641x479.png"));
        TestInputs.images(in, 40, 30, "tiny.png");
        TestInputs.garbage(in, "z-broken.jpg");
        Path out = tmp.resolve("out");
        StringWriter err = new StringWriter();
        // 8 slots, 4 images: two shares each; the 40x30 image has one tile, so its second share has none.
        int code = Main.run(new PrintWriter(System.out, true), new PrintWriter(err, true),
                "--master", "local[8,2]", "--input", in.toString(), "--output", out.toString(),
                "--ops", ops, "--tile", Integer.toString(tile), "--quiet");
        assertEquals(3, code, "one image fails, the rest are written: " + err);

        Plan plan = Plan.parse(ops);
        for (String name : new String[] {"badge-alpha-800x600.png", "odd-641x479.png", "tiny.png"}) {
            Path result = out.resolve(name);
            assertTrue(Files.exists(result), "missing output " + result);
            assertArrayEquals(SparkEndToEndTest.reference(in.resolve(name), plan), Files.readAllBytes(result),
                    "differs from the whole-image result: " + name);
        }
        Manifest m = Manifest.read(out);
        assertEquals(4, m.rows().size(), m.rows().toString());
        assertEquals(1, m.rows().stream().filter(r -> "failed".equals(r.path("status").asText())).count());
        assertEquals("z-broken.jpg", m.rows().stream().filter(r -> "failed".equals(r.path("status").asText()))
                .findFirst().get().path("relative").asText());
        assertTrue(m.rows().stream().filter(r -> "badge-alpha-800x600.png".equals(r.path("relative").asText()))
                .allMatch(r -> r.path("tiles").asInt() > 2), "the badge was cut into tiles");
        assertFalse(Files.exists(out.resolve("z-broken.jpg")), "no output for the broken image");
        assertFalse(Files.exists(out.resolve("_tilespark/_staging")), "staging left behind");
    }

    @Test
    void slotsAreDividedAmongTheImagesOnlyWhenTilesAreSpread() {
        SparkConf conf = new SparkConf().setMaster("local[6]").setAppName("shares").set("spark.ui.enabled", "false");
        SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
        try {
            TileJob tiled = new TileJob(spark, JobSpec.builder("in", "out", Plan.parse("blur:5")).build());
            assertArrayEquals(new int[] {6}, tiled.shares(1));
            assertArrayEquals(new int[] {3, 3}, tiled.shares(2));
            assertArrayEquals(new int[] {2, 2, 1, 1}, tiled.shares(4), "4 images, 6 slots: every slot gets a share");
            assertArrayEquals(new int[] {2, 1, 1, 1, 1}, tiled.shares(5), "6 slots over 5 images");
            assertArrayEquals(new int[] {1, 1, 1, 1, 1, 1}, tiled.shares(6), "as many images as slots: not spread");
            TileJob never = new TileJob(spark, JobSpec.builder("in", "out", Plan.parse("blur:5"))
                    .spread(JobSpec.Spread.NEVER).build());
            assertArrayEquals(new int[] {1}, never.shares(1));
            TileJob whole = new TileJob(spark, JobSpec.builder("in", "out", Plan.parse("equalize")).build());
            assertFalse(Plan.parse("equalize").tiles(), "equalize needs the whole image");
            assertArrayEquals(new int[] {1}, whole.shares(1), "a chain that cannot be tiled is never shared");
        } finally {
            spark.stop();
        }
    }

    @Test
    void imagesOverTheWholeLimitAreCutInTheirOwnTaskAndStillEqualTheWholeResult() throws Exception {
        Path in = tmp.resolve("in");
        Files.createDirectories(in);
        Files.copy(Paths.get("sample-images/badge-alpha-800x600.png"), in.resolve("badge-alpha-800x600.png"));
        Files.copy(Paths.get("sample-images/odd-641x479.png"), in.resolve("odd-641x479.png"));
        TestInputs.images(in, 40, 30, "tiny.png");
        Path out = tmp.resolve("out");
        String ops = "grey,canny:50:150";
        SparkConf conf = new SparkConf().setMaster("local[2]").setAppName("limit").set("spark.ui.enabled", "false");
        SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
        try {
            JobSpec spec = JobSpec.builder(in.toString(), out.toString(), Plan.parse(ops)).tile(128)
                    .spread(JobSpec.Spread.NEVER).quiet(true).wholeMaxPixels(300_000).build();
            RunResult r = new TileJob(spark, spec).run();
            assertEquals(3, r.ok);
        } finally {
            spark.stop();
        }
        Plan plan = Plan.parse(ops);
        for (String name : new String[] {"badge-alpha-800x600.png", "odd-641x479.png", "tiny.png"}) {
            assertArrayEquals(SparkEndToEndTest.reference(in.resolve(name), plan), Files.readAllBytes(out.resolve(name)),
                    "differs from the whole-image result: " + name);
        }
        Manifest m = Manifest.read(out);
        for (com.fasterxml.jackson.databind.JsonNode row : m.rows()) {
            String name = row.path("relative").asText();
            int tiles = row.path("tiles").asInt();
            if (name.equals("tiny.png")) {
                assertEquals(1, tiles, "under the limit: whole");
            } else {
                assertTrue(tiles > 1, name + " is over the limit (300,000 pixels): cut into tiles, got " + tiles);
            }
        }
    }

    @Test
    void anApplicationCappedAtOneCoreKeepsItsImagesWhole() {
        SparkConf conf = new SparkConf().setMaster("local[4]").setAppName("cap").set("spark.ui.enabled", "false")
                .set("spark.cores.max", "1");
        SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
        try {
            TileJob job = new TileJob(spark, JobSpec.builder("in", "out", Plan.parse("blur:5")).build());
            assertEquals(1, job.slots());
            assertFalse(job.spreads(1), "one image, one usable slot: nothing to spread to");
            assertArrayEquals(new int[] {1}, job.shares(1));
        } finally {
            spark.stop();
        }
    }
}
