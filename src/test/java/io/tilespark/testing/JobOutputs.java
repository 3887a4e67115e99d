package io.tilespark.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.opencv.core.Mat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.tilespark.cv.OpenCv;
import io.tilespark.io.Codec;
import io.tilespark.io.Decoded;
import io.tilespark.io.FormatPolicy;
import io.tilespark.ops.Plan;

/** What a run left in its output folder: the images, the manifest rows, and anything that should not be there. */
public final class JobOutputs {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JobOutputs() {
    }

    /** The sample images: what the job lists in sample-images/ (names starting with '.' or '_' are hidden). */
    public static List<Path> samples() throws IOException {
        try (Stream<Path> s = Files.list(Paths.get("sample-images"))) {
            return s.filter(p -> !p.getFileName().toString().startsWith(".")
                    && !p.getFileName().toString().startsWith("_")).sorted().collect(Collectors.toList());
        }
    }

    /** Copies every sample image {@code copies} times into {@code dir}, as NAME-kK.EXT; returns how many. */
    public static int copySamples(Path dir, int copies) throws IOException {
        Files.createDirectories(dir);
        List<Path> samples = samples();
        int n = 0;
        for (int k = 0; k < copies; k++) {
            for (Path p : samples) {
                String name = p.getFileName().toString();
                int dot = name.lastIndexOf('.');
                String copy = copies == 1 ? name : name.substring(0, dot) + "-k" + k + name.substring(dot);
                Files.copy(p, dir.resolve(copy));
                n++;
            }
        }
        return n;
    }

    /**
     * What a clean run writes for one input with the default output settings (same format,
     * quality 90): the chain applied to the whole image, then encoded. SparkEndToEndTest pins that
     * the tiled Spark job produces exactly these bytes.
     */
    public static byte[] reference(Path input, String ops) throws Exception {
        OpenCv.load();
        Plan plan = Plan.parse(ops);
        try (Decoded d = Codec.decode(Files.readAllBytes(input), FormatPolicy.defaultAllowed(OpenCv.buildProperty("opencv")))) {
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

    /** The sample image a copy made by {@link #copySamples} came from: NAME-kK.EXT to NAME.EXT. */
    public static String sampleOf(String copy) {
        return copy.replaceFirst("-k\\d+(\\.[^.]+)$", "$1");
    }

    /** Output files by relative path, without the job's own _tilespark folder. */
    public static Map<String, byte[]> images(Path out) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> s = Files.walk(out)) {
            for (Path p : s.filter(Files::isRegularFile).collect(Collectors.toList())) {
                String rel = out.relativize(p).toString().replace('\\', '/');
                if (!rel.startsWith("_tilespark/")) {
                    files.put(rel, Files.readAllBytes(p));
                }
            }
        }
        return files;
    }

    /** The manifest's rows, by relative input path. */
    public static Map<String, JsonNode> manifest(Path out) throws IOException {
        Map<String, JsonNode> rows = new TreeMap<>();
        List<String> lines = new ArrayList<>();
        try (Stream<Path> s = Files.list(out.resolve("_tilespark/manifest"))) {
            for (Path p : s.filter(f -> f.getFileName().toString().endsWith(".json")).collect(Collectors.toList())) {
                lines.addAll(Files.readAllLines(p));
            }
        }
        for (String line : lines) {
            if (line.trim().isEmpty()) {
                continue;
            }
            JsonNode row = JSON.readTree(line);
            JsonNode previous = rows.put(row.get("relative").asText(), row);
            if (previous != null) {
                throw new AssertionError("manifest lists " + row.get("relative").asText() + " twice");
            }
        }
        return rows;
    }

    /**
     * Everything under the output that a finished run must not leave: staging files and folders,
     * half-written parts, Hadoop's and Spark's temporary folders, the manifest's intermediate part
     * files, and (outside the job's own _tilespark folder) any hidden side file such as a Hadoop
     * .crc next to an image. (Inside _tilespark, Spark's committer may leave a ._SUCCESS.crc on
     * file: outputs; that is a checksum, not a temporary file.)
     */
    public static List<String> leftovers(Path out) {
        try (Stream<Path> s = Files.walk(out)) {
            return s.map(p -> out.relativize(p).toString().replace('\\', '/'))
                    .filter(rel -> rel.startsWith("_tilespark/_staging") || rel.contains("_temporary")
                            || rel.endsWith(".part") || rel.endsWith(".tmp") || rel.endsWith(".inprogress")
                            || rel.startsWith("_tilespark/parts-")
                            || (!rel.startsWith("_tilespark/") && (rel.startsWith(".") || rel.contains("/."))))
                    .sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
