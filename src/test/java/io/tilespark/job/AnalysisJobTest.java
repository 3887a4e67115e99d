package io.tilespark.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Mat;
import org.opencv.core.MatOfRect;
import org.opencv.core.Rect;
import org.opencv.imgproc.Imgproc;
import org.opencv.objdetect.CascadeClassifier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.tilespark.Main;
import io.tilespark.cv.OpenCv;
import io.tilespark.io.Codec;
import io.tilespark.io.Decoded;
import io.tilespark.io.FormatPolicy;
import io.tilespark.ops.Analysis;
import io.tilespark.ops.Analyzer;
import io.tilespark.ops.Cascades;
import io.tilespark.ops.Detect;
import io.tilespark.ops.Finding;
import io.tilespark.ops.Plan;
import io.tilespark.testing.RealImages;
import io.tilespark.testing.TestImages;

/**
 * The analysis operators through the whole job under Spark: one pass writes the images (with
 * overlays) and the analysis table; the table is the same on 1 partition as on many with tiles
 * spread over executors, equals the whole-image reference and direct OpenCV detection, and the
 * README's two SQL queries run on it.
 */
class AnalysisJobTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;

    static Path input;
    static Path model;

    @BeforeAll
    static void inputs() throws Exception {
        OpenCv.load();
        input = Files.createDirectories(tmp.resolve("in"));
        Files.copy(RealImages.require(RealImages.ASTRONAUT), input.resolve("astronaut.png"));
        Files.copy(RealImages.require(RealImages.COFFEE), input.resolve("coffee.png"));
        if (Files.isRegularFile(RealImages.HOPPER)) {
            Files.copy(RealImages.HOPPER, input.resolve("hopper.png"));
        }
        Files.copy(Paths.get("sample-images/scan-grey-1024x768.jpg"), input.resolve("scan-grey.jpg"));
        Files.copy(Paths.get("sample-images/badge-alpha-800x600.png"), input.resolve("badge-alpha.png"));
        Mat scene = TestImages.scene(300, 400, 3, 11);
        try {
            Files.write(input.resolve("scene.png"), Codec.encode(scene, null, io.tilespark.io.ImageFormat.PNG, 90).bytes);
        } finally {
            scene.release();
        }
        Files.write(input.resolve("broken.png"), "not an image".getBytes(StandardCharsets.US_ASCII));
        // A copy of a real cascade with a comment added: a model no other test has cached in this JVM.
        model = tmp.resolve("faces.xml");
        Files.write(model, (new String(Files.readAllBytes(RealImages.require(RealImages.FRONTAL_FACE)),
                StandardCharsets.UTF_8) + "\n<!-- " + System.nanoTime() + " -->\n").getBytes(StandardCharsets.UTF_8));
    }

    String ops() {
        return "grey,detect:faces:draw=" + model.toUri() + ",orb:500,corners:300,stats";
    }

    static int run(Path out, String... extra) {
        List<String> args = new ArrayList<>();
        Collections.addAll(args, "--input", input.toString(), "--output", out.toString(), "--quiet");
        Collections.addAll(args, extra);
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(System.out, true), new PrintWriter(err, true), args.toArray(new String[0]));
        assertEquals(3, code, "broken.png fails, the rest are written: " + err);
        return code;
    }

    @Test
    void onePartitionAndManySpreadTilesGiveTheSameTableImagesAndWholeImageReference() throws Exception {
        int files = Cascades.filesWritten();
        int loads = Cascades.loads();
        int threads = Cascades.loadingThreads();
        Path one = tmp.resolve("one");
        Path many = tmp.resolve("many");
        run(one, "--master", "local[2,2]", "--ops", ops(), "--partitions", "1", "--tile", "4096", "--spread", "never");
        run(many, "--master", "local[2,2]", "--ops", ops(), "--tile", "128", "--spread", "always");

        List<String> tableOne = lines(one.resolve("_tilespark/analysis"));
        List<String> tableMany = lines(many.resolve("_tilespark/analysis"));
        Collections.sort(tableOne);
        Collections.sort(tableMany);
        assertFalse(tableOne.isEmpty());
        assertEquals(tableOne, tableMany, "same table on 1 partition and on spread tiles");

        // The model was written to one local file in this JVM (the executors' JVM in local mode),
        // and each task thread loaded its classifier once, however many images it analysed.
        assertEquals(files + 1, Cascades.filesWritten(), "one model file per JVM");
        assertEquals(Cascades.loads() - loads, Cascades.loadingThreads() - threads, "no thread loaded twice");

        Plan plan = Plan.parse(ops());
        for (Analyzer a : plan.analysis()) {
            if (a instanceof Detect) {
                ((Detect) a).bind(Cascades.inMemory(Files.readAllBytes(model)));
            }
        }
        Map<String, List<JsonNode>> byImage = new TreeMap<>();
        for (String l : tableOne) {
            JsonNode n = JSON.readTree(l);
            byImage.computeIfAbsent(n.get("relative").asText(), k -> new ArrayList<>()).add(n);
        }
        List<String> inputs = listNames(input);
        assertFalse(byImage.containsKey("broken.png"), "a failed image has no findings");
        // The manifest keeps its own columns (the findings are not in it) and shares the input key.
        Map<String, String> inputOf = new TreeMap<>();
        List<String> manifest = lines(one.resolve("_tilespark/manifest"));
        assertEquals(inputs.size(), manifest.size());
        for (String l : manifest) {
            JsonNode m = JSON.readTree(l);
            assertFalse(m.has("analysis"), l);
            inputOf.put(m.get("relative").asText(), m.get("input").asText());
        }
        assertTrue(listNames(one.resolve("_tilespark")).stream().noneMatch(n -> n.startsWith("parts-")),
                "parts are removed after compaction");
        for (String name : inputs) {
            if (name.equals("broken.png")) {
                continue;
            }
            Reference ref = reference(input.resolve(name), plan);
            List<JsonNode> rows = byImage.get(name);
            List<String> expected = ref.findings.stream().map(Finding::toString).sorted().collect(Collectors.toList());
            List<String> actual = rows.stream().map(AnalysisJobTest::finding).sorted().collect(Collectors.toList());
            assertEquals(expected, actual, name);
            for (JsonNode r : rows) {
                assertEquals(inputOf.get(name), r.get("input").asText());
            }
            assertArrayEquals(ref.encoded, Files.readAllBytes(one.resolve(name)), name + " (1 partition)");
            assertArrayEquals(ref.encoded, Files.readAllBytes(many.resolve(name)), name + " (spread tiles)");
        }

        // Detection equals a direct cascade call on the same grey pixels, and finds the known faces.
        assertEquals(directFaces(input.resolve("astronaut.png")), boxes(byImage.get("astronaut.png")));
        assertEquals(1, boxes(byImage.get("astronaut.png")).size());
        Rect face = boxes(byImage.get("astronaut.png")).get(0);
        assertTrue(face.contains(new org.opencv.core.Point(224, 113)), face.toString());
        assertEquals(0, boxes(byImage.get("coffee.png")).size());
        if (byImage.containsKey("hopper.png")) {
            assertEquals(1, boxes(byImage.get("hopper.png")).size());
        }

        readmeQueriesAnswerWhichImagesHaveFacesAndWhichAreBlurriest(one, byImage);
    }

    /** Runs the README's SQL blocks, as written there, on the table. */
    void readmeQueriesAnswerWhichImagesHaveFacesAndWhichAreBlurriest(Path out, Map<String, List<JsonNode>> byImage)
            throws IOException {
        List<String> queries = readmeSql();
        assertEquals(2, queries.size(), "README holds two example queries");
        SparkSession spark = SparkSession.builder().master("local[1]").appName("readme-queries").getOrCreate();
        try {
            // The views as the README's spark-sql line creates them.
            String root = out.toString();
            spark.sql("CREATE TEMPORARY VIEW analysis USING json OPTIONS (path '" + root + "/_tilespark/analysis')");
            spark.sql("CREATE TEMPORARY VIEW manifest USING json OPTIONS (path '" + root + "/_tilespark/manifest')");

            List<Row> faces = spark.sql(queries.get(0)).collectAsList();
            List<String> withFaces = new ArrayList<>();
            for (Row r : faces) {
                withFaces.add(r.getString(r.fieldIndex("relative")));
            }
            List<String> expected = new ArrayList<>();
            for (Map.Entry<String, List<JsonNode>> e : byImage.entrySet()) {
                if (!boxes(e.getValue()).isEmpty()) {
                    expected.add(e.getKey());
                }
            }
            Collections.sort(withFaces);
            assertEquals(expected, withFaces);
            assertTrue(withFaces.contains("astronaut.png"));

            List<Row> blurry = spark.sql(queries.get(1)).collectAsList();
            List<Map.Entry<String, Double>> sharpness = new ArrayList<>();
            for (Map.Entry<String, List<JsonNode>> e : byImage.entrySet()) {
                for (JsonNode n : e.getValue()) {
                    if (n.get("kind").asText().equals("sharpness")) {
                        sharpness.add(new java.util.AbstractMap.SimpleEntry<>(e.getKey(), n.get("value").asDouble()));
                    }
                }
            }
            sharpness.sort(Map.Entry.comparingByValue());
            assertEquals(Math.min(10, sharpness.size()), blurry.size());
            for (int i = 0; i < blurry.size(); i++) {
                assertEquals(sharpness.get(i).getKey(), blurry.get(i).getString(blurry.get(i).fieldIndex("relative")));
            }
        } finally {
            spark.stop();
        }
    }

    static List<String> readmeSql() throws IOException {
        String readme = new String(Files.readAllBytes(Paths.get("README.md")), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("```sql\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        List<String> out = new ArrayList<>();
        while (m.find()) {
            out.add(m.group(1).trim().replaceAll(";$", ""));
        }
        return out;
    }

    static final class Reference {
        List<Finding> findings;
        byte[] encoded;
    }

    /** The whole-image reference: the chain's pixels, then the analyzers, encoded like the job does. */
    static Reference reference(Path in, Plan plan) throws Exception {
        try (Decoded d = Codec.decode(Files.readAllBytes(in), FormatPolicy.defaultAllowed(OpenCv.buildProperty("opencv")))) {
            Mat whole = new Mat();
            Mat scratch = new Mat();
            try {
                plan.applyWhole(d.colour, whole, scratch);
                Reference r = new Reference();
                r.findings = Analysis.run(plan.analysis(), whole);
                r.encoded = Codec.encode(whole, d.alpha, d.format, 90).bytes;
                return r;
            } finally {
                whole.release();
                scratch.release();
            }
        }
    }

    static List<Rect> directFaces(Path photo) throws Exception {
        try (Decoded d = Codec.decode(Files.readAllBytes(photo), FormatPolicy.defaultAllowed(OpenCv.buildProperty("opencv")))) {
            Mat g = new Mat();
            MatOfRect found = new MatOfRect();
            try {
                Imgproc.cvtColor(d.colour, g, Imgproc.COLOR_BGR2GRAY);
                new CascadeClassifier(model.toString()).detectMultiScale(g, found, Detect.SCALE_FACTOR,
                        Detect.MIN_NEIGHBOURS);
                List<Rect> out = new ArrayList<>();
                Collections.addAll(out, found.toArray());
                return out;
            } finally {
                g.release();
                found.release();
            }
        }
    }

    static List<Rect> boxes(List<JsonNode> rows) {
        List<Rect> out = new ArrayList<>();
        for (JsonNode n : rows) {
            if (n.get("kind").asText().equals("box")) {
                out.add(new Rect(n.get("x").asInt(), n.get("y").asInt(), n.get("w").asInt(), n.get("h").asInt()));
            }
        }
        return out;
    }

    /** A table row read back as the Finding it was written from. */
    static String finding(JsonNode n) {
        StringBuilder sb = new StringBuilder(n.get("analyzer").asText()).append(' ').append(n.get("kind").asText());
        if (!n.get("label").isNull()) {
            sb.append(' ').append(n.get("label").asText());
        }
        if (!n.get("x").isNull()) {
            sb.append(" [").append(n.get("x").asInt()).append(',').append(n.get("y").asInt()).append(' ')
                    .append(n.get("w").asInt()).append('x').append(n.get("h").asInt()).append(']');
        }
        if (!n.get("count").isNull()) {
            sb.append(" count=").append(n.get("count").asInt());
        }
        if (!n.get("score").isNull()) {
            sb.append(" score=").append(n.get("score").asDouble());
        }
        if (!n.get("value").isNull()) {
            sb.append(" value=").append(n.get("value").asDouble());
        }
        if (!n.get("values").isNull()) {
            List<String> v = new ArrayList<>();
            n.get("values").forEach(x -> v.add(Double.toString(x.asDouble())));
            sb.append(" values=[").append(String.join(", ", v)).append(']');
        }
        return sb.toString();
    }

    static List<String> listNames(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    static List<String> lines(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().flatMap(p -> {
                try {
                    return Files.readAllLines(p, StandardCharsets.UTF_8).stream();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }).filter(l -> !l.isEmpty()).collect(Collectors.toList());
        }
    }
}
