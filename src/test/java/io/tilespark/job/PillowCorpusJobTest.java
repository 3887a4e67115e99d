package io.tilespark.job;

import static io.tilespark.testing.Manifest.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;

import com.fasterxml.jackson.databind.JsonNode;

import io.tilespark.cv.OpenCv;
import io.tilespark.io.ImageFormat;
import io.tilespark.ops.Plan;
import io.tilespark.testing.Corpus;
import io.tilespark.testing.LocalCluster;
import io.tilespark.testing.Manifest;

/**
 * All 1,067 of Pillow's odd, broken and fuzzed test images through the real job, on a local
 * cluster whose executors are separate JVMs: the job finishes, every file has exactly one
 * manifest row, no executor dies, and no valid image is lost.
 *
 * <p>"Valid" is decided here, independently of the job: a file is valid when OpenCV itself, in
 * this test's JVM, decodes it. A valid file must come out ok unless it is refused for a
 * documented reason: its format is outside the build's allowlist (docs/formats.md), another input
 * holds its output path (OutputClaims), or it is one of the files listed in
 * {@link #REFUSED_ON_PURPOSE}, each with the reason the job must give.
 */
@Tag("corpus")
class PillowCorpusJobTest {

    /**
     * Files OpenCV decodes that the job refuses by design, with the start of the reason. Mostly
     * pixel types the operators do not take, and headers that contradict the file (OpenCV returns
     * something for them, which is not the image the file claims to be).
     */
    static final Map<String, String> REFUSED_ON_PURPOSE = new TreeMap<>();

    static {
        // Pixel types the operators do not take.
        REFUSED_ON_PURPOSE.put("16_bit_binary_pgm.tiff", "32-bit TIFF samples are not supported");
        REFUSED_ON_PURPOSE.put("16bit.s.tif", "TIFF with signed samples is not supported");
        REFUSED_ON_PURPOSE.put("8bit.s.tif", "TIFF with signed samples is not supported");
        REFUSED_ON_PURPOSE.put("separate_planar_extra_samples.tiff", "TIFF with signed samples is not supported");
        // Headers that contradict themselves or the file (BMP Suite's "bad" files, and TIFFs).
        REFUSED_ON_PURPOSE.put("bmp/b/badheadersize.bmp", "BMP header of 66 bytes is not a known kind");
        REFUSED_ON_PURPOSE.put("bmp/b/badplanes.bmp", "corrupt BMP: 30000 colour planes");
        REFUSED_ON_PURPOSE.put("bmp/b/rletopdown.bmp", "corrupt BMP: run-length data cannot be stored top-down");
        REFUSED_ON_PURPOSE.put("tiff_wrong_bits_per_sample.tiff", "truncated TIFF: strip/tile 0 lies past the end");
        REFUSED_ON_PURPOSE.put("tiff_wrong_bits_per_sample_2.tiff", "TIFF with different bit depths per sample");
        // OpenCV returns a wrong picture for these without an error; each was compared with a
        // reference rendering of the same picture (BMP Suite's rgb24.bmp and pal8.bmp, Pillow's
        // tiff_16bit_RGB(a)_target.png), see docs/formats.md.
        REFUSED_ON_PURPOSE.put("bmp/g/rgb32bf.bmp", "32-bit BMP with colour masks that are not whole bytes");
        REFUSED_ON_PURPOSE.put("bmp/q/rgb32-111110.bmp", "32-bit BMP with colour masks that are not whole bytes");
        REFUSED_ON_PURPOSE.put("bmp/g/pal8os2.bmp", "OS/2 1.x BMP with a palette is not supported");
        REFUSED_ON_PURPOSE.put("bmp/q/pal8os2sp.bmp", "OS/2 1.x BMP with a palette is not supported");
        REFUSED_ON_PURPOSE.put("mmap_error.bmp", "corrupt BMP: pixel data offset 54 overlaps the header or palette");
        REFUSED_ON_PURPOSE.put("tiff_strip_planar_16bit_RGB.tiff", "16-bit TIFF with separate colour planes");
        REFUSED_ON_PURPOSE.put("tiff_strip_planar_16bit_RGBa.tiff", "16-bit TIFF with separate colour planes");
        REFUSED_ON_PURPOSE.put("tiff_tiled_planar_16bit_RGB.tiff", "16-bit TIFF with separate colour planes");
        REFUSED_ON_PURPOSE.put("tiff_tiled_planar_16bit_RGBa.tiff", "16-bit TIFF with separate colour planes");
        // libtiff's CIELab to RGB conversion is off by 13 of 255 on average (hopper.Lab.tif vs hopper.tif).
        for (String lab : new String[] {"hopper.Lab.tif", "lab.tif", "lab-red.tif", "lab-green.tif"}) {
            REFUSED_ON_PURPOSE.put(lab, "CIELab TIFF is not supported");
        }
    }

    @TempDir
    Path tmp;

    @Test
    void everyFileGetsOneRowNoExecutorDiesAndNoValidImageIsLost() throws Exception {
        OpenCv.load();
        Path corpus = Corpus.root();
        List<String> files;
        try (Stream<Path> s = Files.walk(corpus)) {
            files = s.filter(Files::isRegularFile).map(p -> corpus.relativize(p).toString()).sorted()
                    .collect(Collectors.toList());
        }
        assertEquals(1067, files.size(), "the corpus as described in its README");
        Map<String, String> valid = new TreeMap<>(); // relative -> format sniffed
        for (String f : files) {
            byte[] b = Files.readAllBytes(corpus.resolve(f));
            if (b.length > 0 && decodes(b)) {
                valid.put(f, ImageFormat.sniff(java.util.Arrays.copyOf(b, Math.min(16, b.length))).label());
            }
        }

        Path out = tmp.resolve("out");
        RunResult r;
        int lost;
        try (LocalCluster cluster = LocalCluster.start(2, 2048, Collections.emptyMap())) {
            JobSpec spec = JobSpec.builder(corpus.toString(), out.toString(), Plan.parse("blur:3")).recursive(true)
                    .build();
            r = new TileJob(cluster.spark, spec).run();
            lost = cluster.executorsRemoved();
        }
        assertEquals(0, lost, "executors lost during the run");

        Map<String, JsonNode> rows = Manifest.read(out).byRelative(); // fails on a duplicate row
        assertEquals(new TreeSet<>(files), new TreeSet<>(rows.keySet()), "one manifest row per file");
        assertEquals(files.size(), r.total);

        Map<String, ImageFormat> allowed = new TreeMap<>();
        List<String> lostImages = new ArrayList<>();
        int refusedByAllowlist = 0;
        int collisions = 0;
        for (Map.Entry<String, String> v : valid.entrySet()) {
            JsonNode row = rows.get(v.getKey());
            String status = text(row, "status");
            String error = text(row, "error");
            String expected = REFUSED_ON_PURPOSE.get(v.getKey());
            if (expected != null) {
                assertEquals("failed", status, v.getKey());
                assertTrue(error.startsWith(expected), v.getKey() + ": " + error);
            } else if ("ok".equals(status)) {
                checkOutput(v.getKey(), row);
            } else if (error != null && (error.startsWith(v.getValue() + " input is not accepted")
                    || error.startsWith("not an image: no known format signature"))) {
                refusedByAllowlist++;
            } else if (error != null && error.startsWith("output path '") && error.contains("is also the output of")) {
                collisions++; // two files would write one output (e.g. x.gif becomes x.png next to x.png)
            } else {
                lostImages.add(v.getKey() + ": " + error);
            }
        }
        assertTrue(lostImages.isEmpty(), "valid images lost: " + lostImages);
        System.out.printf("corpus: %d files, %d valid by OpenCV, %d ok, %d failed, %d valid but outside the allowlist, "
                + "%d valid but sharing an output path, %d refused on purpose%n", files.size(), valid.size(), r.ok,
                r.failed, refusedByAllowlist, collisions, REFUSED_ON_PURPOSE.size());
        for (String f : REFUSED_ON_PURPOSE.keySet()) {
            assertTrue(valid.containsKey(f), f + " is listed as refused on purpose but OpenCV does not decode it");
        }

        // EXIF orientation through the real job: each hopper_orientation_N comes out as hopper.jpg does.
        Mat ref = Imgcodecs.imread(out.resolve("hopper.jpg").toString(), Imgcodecs.IMREAD_UNCHANGED);
        try {
            for (int n = 2; n <= 8; n++) {
                for (String ext : new String[] {"jpg", "webp"}) {
                    Mat m = Imgcodecs.imread(out.resolve("hopper_orientation_" + n + "." + ext).toString(),
                            Imgcodecs.IMREAD_UNCHANGED);
                    Mat d = new Mat();
                    try {
                        Core.absdiff(ref, m, d);
                        double mean = Core.mean(d).val[0];
                        assertTrue(mean < 10, "hopper_orientation_" + n + "." + ext + " differs from hopper.jpg by " + mean);
                    } finally {
                        m.release();
                        d.release();
                    }
                }
            }
        } finally {
            ref.release();
        }
    }

    private static boolean decodes(byte[] b) {
        MatOfByte buf = new MatOfByte(b);
        Mat m = null;
        try {
            m = Imgcodecs.imdecode(buf, Imgcodecs.IMREAD_UNCHANGED);
            return m != null && !m.empty();
        } catch (RuntimeException e) {
            return false;
        } finally {
            buf.release();
            if (m != null) {
                m.release();
            }
        }
    }

    private static void checkOutput(String rel, JsonNode row) {
        Path p = Path.of(java.net.URI.create(text(row, "output")));
        Mat m = Imgcodecs.imread(p.toString(), Imgcodecs.IMREAD_UNCHANGED);
        try {
            assertTrue(!m.empty(), rel + ": output does not decode: " + p);
            assertEquals(row.get("width").asInt(), m.cols(), rel);
            assertEquals(row.get("height").asInt(), m.rows(), rel);
        } finally {
            m.release();
        }
    }
}
