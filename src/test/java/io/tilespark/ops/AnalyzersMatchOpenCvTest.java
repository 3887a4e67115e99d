package io.tilespark.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.CvType;
import org.opencv.core.KeyPoint;
import org.opencv.core.Mat;
import org.opencv.core.MatOfKeyPoint;
import org.opencv.core.MatOfPoint;
import org.opencv.core.MatOfRect;
import org.opencv.core.Point;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.features2d.ORB;
import org.opencv.imgproc.Imgproc;
import org.opencv.objdetect.CascadeClassifier;

import io.tilespark.cv.OpenCv;
import io.tilespark.io.Codec;
import io.tilespark.io.Decoded;
import io.tilespark.io.FormatPolicy;
import io.tilespark.testing.RealImages;
import io.tilespark.testing.TestImages;

/**
 * Each analyzer against direct OpenCV calls with the same parameters on the same pixels, real
 * photos with known faces for detection, and an independent Java computation for the statistics.
 */
class AnalyzersMatchOpenCvTest {

    @BeforeAll
    static void load() {
        OpenCv.load();
    }

    static Decoded decode(Path p) throws Exception {
        return Codec.decode(Files.readAllBytes(p), FormatPolicy.defaultAllowed(OpenCv.buildProperty("opencv")));
    }

    static Detect detector(String spec, Path model) throws Exception {
        Detect d = (Detect) Operators.parse(spec + "=file:" + model);
        d.bind(Cascades.inMemory(Files.readAllBytes(model)));
        return d;
    }

    static Mat grey(Mat m) {
        Mat g = new Mat();
        Imgproc.cvtColor(m, g, Imgproc.COLOR_BGR2GRAY);
        return g;
    }

    static List<Rect> directFaces(Mat colour) {
        CascadeClassifier c = new CascadeClassifier(RealImages.FRONTAL_FACE.toString());
        Mat g = grey(colour);
        MatOfRect found = new MatOfRect();
        try {
            c.detectMultiScale(g, found, Detect.SCALE_FACTOR, Detect.MIN_NEIGHBOURS);
            return Arrays.asList(found.toArray());
        } finally {
            g.release();
            found.release();
        }
    }

    static List<Rect> boxes(List<Finding> found) {
        return found.stream().filter(f -> f.kind.equals("box")).map(f -> new Rect(f.x, f.y, f.w, f.h))
                .collect(Collectors.toList());
    }

    static Finding only(List<Finding> found, String kind, String label) {
        List<Finding> m = found.stream().filter(f -> f.kind.equals(kind) && java.util.Objects.equals(f.label, label))
                .collect(Collectors.toList());
        assertEquals(1, m.size(), kind + "/" + label + " in " + found);
        return m.get(0);
    }

    static boolean contains(Rect r, int x, int y) {
        return x >= r.x && x < r.x + r.width && y >= r.y && y < r.y + r.height;
    }

    @Test
    void detectFindsTheOneKnownFaceInEachPortraitAndNoneInCoffeeLikeDirectCascadeCalls() throws Exception {
        Detect d = detector("detect:faces", RealImages.require(RealImages.FRONTAL_FACE));
        checkFaces(d, RealImages.require(RealImages.ASTRONAUT), 224, 113);
        checkFaces(d, RealImages.require(RealImages.COFFEE), -1, -1);
    }

    @Test
    void detectFindsGraceHoppersFace() throws Exception {
        Detect d = detector("detect:faces", RealImages.require(RealImages.FRONTAL_FACE));
        checkFaces(d, RealImages.optional(RealImages.HOPPER), 63, 49);
    }

    private static void checkFaces(Detect d, Path photo, int faceX, int faceY) throws Exception {
        try (Decoded img = decode(photo)) {
            Mat before = img.colour.clone();
            try {
                List<Finding> found = Analysis.run(Collections.singletonList(d), img.colour);
                List<Rect> expected = directFaces(img.colour);
                assertEquals(expected.toString(), boxes(found).toString(), photo.toString());
                assertEquals(expected.size(), (int) only(found, "objects", "faces").count);
                if (faceX < 0) {
                    assertEquals(0, expected.size(), "no face in " + photo);
                } else {
                    assertEquals(1, expected.size(), "one face in " + photo + ": " + expected);
                    assertTrue(contains(expected.get(0), faceX, faceY), expected + " misses the face at "
                            + faceX + "," + faceY);
                    Finding box = found.get(0);
                    assertEquals("detect:faces", box.analyzer);
                    assertEquals("faces", box.label);
                    assertTrue(box.score >= Detect.MIN_NEIGHBOURS, "merged detections: " + box.score);
                }
                assertEquals(0, TestImages.diff(before, img.colour), "detect without :draw changes no pixel");
            } finally {
                before.release();
            }
        }
    }

    @Test
    void detectDrawPaintsRedBoxesOnAColourCopyOfAGreyImage() throws Exception {
        Detect d = detector("detect:faces:draw", RealImages.require(RealImages.FRONTAL_FACE));
        try (Decoded img = decode(RealImages.require(RealImages.ASTRONAUT))) {
            Mat g = grey(img.colour);
            Mat original = g.clone();
            try {
                List<Finding> found = Analysis.run(Collections.singletonList(d), g);
                Rect face = boxes(found).get(0);
                assertEquals(3, g.channels(), "the overlay turns a grey result into colour");
                assertArrayEquals(new double[] {0, 0, 255}, g.get(face.y, face.x + face.width / 2), "box edge is red");
                double inside = original.get(face.y + face.height / 2, face.x + face.width / 2)[0];
                assertArrayEquals(new double[] {inside, inside, inside}, g.get(face.y + face.height / 2,
                        face.x + face.width / 2), "inside the box the grey pixel is kept");
            } finally {
                g.release();
                original.release();
            }
        }
    }

    /** Black background with well separated white squares: every square has exactly four corners. */
    static Mat squares(int n) {
        Mat m = new Mat(400, 600, CvType.CV_8UC3, Scalar.all(0));
        for (int i = 0; i < n; i++) {
            int x = 30 + (i % 6) * 95;
            int y = 30 + (i / 6) * 120;
            Imgproc.rectangle(m, new Point(x, y), new Point(x + 50, y + 60), new Scalar(255, 255, 255), -1);
        }
        return m;
    }

    @Test
    void cornersFindsTheFourCornersOfEverySquareLikeGoodFeaturesToTrack() {
        Mat scene = squares(12);
        Mat g = grey(scene);
        MatOfPoint direct = new MatOfPoint();
        try {
            List<Finding> found = Analysis.run(Collections.singletonList((Analyzer) Operators.parse("corners")), scene);
            Imgproc.goodFeaturesToTrack(g, direct, 500, FeatureOps.Corners.QUALITY, FeatureOps.Corners.MIN_DISTANCE);
            assertEquals(48, direct.rows(), "4 corners x 12 squares");
            Finding f = only(found, "corners", null);
            assertEquals(48, (int) f.count);
            assertEquals("corners:500", f.analyzer);
            List<Finding> capped = Analysis.run(Collections.singletonList((Analyzer) Operators.parse("corners:10")), scene);
            assertEquals(10, (int) only(capped, "corners", null).count);
        } finally {
            scene.release();
            g.release();
            direct.release();
        }
    }

    @Test
    void orbCountAndMeanResponseEqualDirectOrbDetect() throws Exception {
        List<Mat> images = new ArrayList<>();
        images.add(TestImages.scene(480, 640, 3, 7));
        images.add(squares(12));
        try (Decoded astro = decode(RealImages.require(RealImages.ASTRONAUT))) {
            images.add(astro.colour.clone());
        }
        try {
            for (int max : new int[] {500, 50}) {
                for (Mat img : images) {
                    Mat g = grey(img);
                    MatOfKeyPoint kps = new MatOfKeyPoint();
                    try {
                        ORB.create(max).detect(g, kps);
                        KeyPoint[] k = kps.toArray();
                        double sum = 0;
                        for (KeyPoint p : k) {
                            sum += p.response;
                        }
                        List<Finding> found = Analysis.run(
                                Collections.singletonList((Analyzer) Operators.parse("orb:" + max)), img);
                        Finding f = only(found, "keypoints", null);
                        assertTrue(k.length > 0 && k.length <= max, "keypoints " + k.length);
                        assertEquals(k.length, (int) f.count);
                        assertEquals(sum / k.length, f.value, 0.0);
                    } finally {
                        g.release();
                        kps.release();
                    }
                }
            }
        } finally {
            for (Mat m : images) {
                m.release();
            }
        }
    }

    @Test
    void orbOnAFlatImageFindsNoKeypointsAndNoMeanResponse() {
        Mat flat = new Mat(200, 300, CvType.CV_8UC1, Scalar.all(128));
        try {
            Finding f = only(Analysis.run(Collections.singletonList((Analyzer) Operators.parse("orb")), flat),
                    "keypoints", null);
            assertEquals(0, (int) f.count);
            assertNull(f.value);
        } finally {
            flat.release();
        }
    }

    @Test
    void statsEqualAnIndependentComputationFromTheRawBytes() throws Exception {
        try (Decoded astro = decode(RealImages.require(RealImages.ASTRONAUT))) {
            checkStats(astro.colour, new String[] {"red", "green", "blue"}, new int[] {2, 1, 0});
            Mat g = grey(astro.colour);
            try {
                checkStats(g, new String[] {"grey"}, new int[] {0});
            } finally {
                g.release();
            }
        }
    }

    private static void checkStats(Mat img, String[] names, int[] channel) {
        List<Finding> found = Analysis.run(Collections.singletonList((Analyzer) Operators.parse("stats")), img);
        int n = img.channels();
        byte[] px = new byte[(int) img.total() * n];
        img.get(0, 0, px);
        long pixels = img.total();
        for (int i = 0; i < names.length; i++) {
            double sum = 0;
            long[] bins = new long[16];
            for (int p = 0; p < pixels; p++) {
                int v = px[p * n + channel[i]] & 0xff;
                sum += v;
                bins[v / 16]++;
            }
            double mean = sum / pixels;
            double sq = 0;
            for (int p = 0; p < pixels; p++) {
                double dv = (px[p * n + channel[i]] & 0xff) - mean;
                sq += dv * dv;
            }
            double std = Math.sqrt(sq / pixels);
            assertEquals(mean, only(found, "mean", names[i]).value, 1e-9, names[i]);
            assertEquals(std, only(found, "stddev", names[i]).value, 1e-9, names[i]);
            double[] hist = only(found, "histogram", names[i]).values();
            assertEquals(16, hist.length);
            for (int b = 0; b < 16; b++) {
                assertEquals((double) bins[b] / pixels, hist[b], 1e-12, names[i] + " bin " + b);
            }
        }
        assertEquals(1 + 3 * names.length, found.size(), found.toString());

        // Sharpness: the variance of the Laplacian, here summed in Java from OpenCV's 64-bit Laplacian.
        Mat g = Analysis.grey(img);
        Mat lap = new Mat();
        try {
            Imgproc.Laplacian(g, lap, CvType.CV_64F);
            double[] l = new double[(int) lap.total()];
            lap.get(0, 0, l);
            double m = 0;
            for (double v : l) {
                m += v;
            }
            m /= l.length;
            double var = 0;
            for (double v : l) {
                var += (v - m) * (v - m);
            }
            var /= l.length;
            assertEquals(var, only(found, "sharpness", null).value, var * 1e-9);
        } finally {
            if (g != img) {
                g.release();
            }
            lap.release();
        }
    }

    @Test
    void blurringAPhotoLowersItsSharpness() throws Exception {
        try (Decoded astro = decode(RealImages.require(RealImages.ASTRONAUT))) {
            Mat blurred = new Mat();
            try {
                Imgproc.GaussianBlur(astro.colour, blurred, new Size(9, 9), 0);
                double sharp = FeatureOps.Stats.sharpness(grey(astro.colour));
                double soft = FeatureOps.Stats.sharpness(grey(blurred));
                assertTrue(soft < sharp / 4, "blurred " + soft + " vs original " + sharp);
            } finally {
                blurred.release();
            }
        }
    }

    @Test
    void everyAnalyzerMeasuresTheCleanImageNotAnotherAnalyzersOverlay() {
        Mat scene = squares(12);
        try {
            List<Analyzer> chain = Plan.parse("orb:500:draw,corners:500:draw,corners:499").analysis();
            List<Finding> found = Analysis.run(chain, scene);
            assertEquals(48, (int) found.get(1).count, "corners after orb's circles");
            assertEquals(48, (int) found.get(2).count, "corners after two overlays");
        } finally {
            scene.release();
        }
    }

    @Test
    void eachThreadLoadsItsOwnClassifierOnceFromOneLocalFilePerModel() throws Exception {
        // A model no other test uses (an XML comment added to a real cascade), so the counts are this test's own.
        byte[] unique = (new String(Files.readAllBytes(RealImages.require(RealImages.EYES)), StandardCharsets.UTF_8)
                + "\n<!-- " + System.nanoTime() + " -->\n").getBytes(StandardCharsets.UTF_8);
        Cascades.Source model = Cascades.inMemory(unique);
        int files = Cascades.filesWritten();
        int loads = Cascades.loads();
        CascadeClassifier a1 = Cascades.forThisThread(model);
        CascadeClassifier a2 = Cascades.forThisThread(model);
        assertSame(a1, a2);
        AtomicReference<CascadeClassifier> other = new AtomicReference<>();
        Thread t = new Thread(() -> {
            OpenCv.load();
            other.set(Cascades.forThisThread(model));
            Cascades.forThisThread(model);
        });
        t.start();
        t.join();
        assertNotSame(a1, other.get());
        assertEquals(files + 1, Cascades.filesWritten(), "one local file per JVM and model");
        assertEquals(loads + 2, Cascades.loads(), "one classifier per thread");
    }

    @Test
    void validationRejectsFilesThatAreNotCascades() throws Exception {
        Cascades.validate(Files.readAllBytes(RealImages.require(RealImages.FRONTAL_FACE)), "faces");
        UsageException png = assertThrows(UsageException.class,
                () -> Cascades.validate(Files.readAllBytes(RealImages.require(RealImages.COFFEE)), "the model"));
        assertTrue(png.getMessage().startsWith("the model is not a cascade classifier OpenCV can load"), png.getMessage());
        assertThrows(UsageException.class, () -> Cascades.validate(
                "<?xml version=\"1.0\"?><opencv_storage><x>1</x></opencv_storage>".getBytes(StandardCharsets.UTF_8), "m"));
        assertTrue(assertThrows(UsageException.class, () -> Cascades.validate(new byte[0], "m")).getMessage()
                .contains("is empty"));
    }

    @Test
    void anUnshippedDetectorFailsLoudly() throws Exception {
        Detect d = (Detect) Operators.parse("detect:faces=file:/nowhere.xml");
        Mat m = new Mat(50, 50, CvType.CV_8UC1, Scalar.all(0));
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> Analysis.run(Collections.singletonList(d), m));
            assertTrue(e.getMessage().contains("was not shipped"), e.getMessage());
        } finally {
            m.release();
        }
    }
}
