package io.tilespark.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.opencv.core.Mat;

import io.tilespark.Main;
import io.tilespark.cv.OpenCv;
import io.tilespark.io.Codec;
import io.tilespark.io.Decoded;
import io.tilespark.io.FormatPolicy;
import io.tilespark.ops.Plan;

/**
 * The whole job under Spark (local[2,2]: two task slots, one retry allowed) on sample-images,
 * checked output by output against the chain applied to each whole image and encoded the same
 * way: the files must be byte-identical.
 */
class SparkEndToEndTest {

    @TempDir
    Path tmp;

    @BeforeAll
    static void load() {
        OpenCv.load();
    }

    @ParameterizedTest(name = "{0} tile {1} spread {2}")
    @CsvSource({
        "filter, 256, never",
        "'grey,canny:50:150', 200, always",
        "'median:5,equalize,sharpen', 300, auto",
        "'brightness:20,hue:90,dilate:3,sobel', 97, always",
    })
    void everyOutputEqualsTheWholeImageReference(String ops, int tile, String spread) throws Exception {
        Path out = tmp.resolve("out");
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(System.out, true), new PrintWriter(err, true),
                "--master", "local[2,2]", "--input", "sample-images", "--output", out.toString(),
                "--ops", ops, "--tile", Integer.toString(tile), "--spread", spread);
        assertEquals(0, code, err.toString());

        Plan plan = Plan.parse(ops);
        List<Path> inputs;
        try (Stream<Path> s = Files.list(Paths.get("sample-images"))) {
            inputs = s.filter(p -> !p.getFileName().toString().matches("[._].*")).sorted().collect(Collectors.toList());
        }
        assertEquals(5, inputs.size());
        for (Path in : inputs) {
            Path result = out.resolve(in.getFileName().toString());
            assertTrue(Files.exists(result), "missing output " + result);
            assertArrayEquals(reference(in, plan), Files.readAllBytes(result), "differs from whole-image result: " + in);
        }
        List<String> manifest = manifestLines(out);
        assertEquals(5, manifest.size());
        assertTrue(manifest.stream().allMatch(l -> l.contains("\"status\":\"ok\"")), manifest.toString());
        assertFalse(Files.exists(out.resolve("_tilespark/_staging")), "staging left behind");
    }

    static byte[] reference(Path in, Plan plan) throws Exception {
        try (Decoded d = Codec.decode(Files.readAllBytes(in), FormatPolicy.defaultAllowed(OpenCv.buildProperty("opencv")))) {
            Mat whole = new Mat();
            Mat scratch = new Mat();
            try {
                plan.applyWhole(d.colour, whole, scratch);
                return Codec.encode(whole, d.alpha, d.format, 90).bytes;
            } finally {
                whole.release();
                scratch.release();
            }
        }
    }

    static List<String> manifestLines(Path out) throws IOException {
        try (Stream<Path> s = Files.list(out.resolve("_tilespark/manifest"))) {
            return s.filter(p -> p.getFileName().toString().endsWith(".json")).flatMap(p -> {
                try {
                    return Files.readAllLines(p).stream();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }).filter(l -> !l.isEmpty()).collect(Collectors.toList());
        }
    }
}
