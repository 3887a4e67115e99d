package io.tilespark.io;

import static io.tilespark.testing.ImageFiles.ascii;
import static io.tilespark.testing.ImageFiles.concat;
import static io.tilespark.testing.ImageFiles.encode;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;

import io.tilespark.cv.OpenCv;
import io.tilespark.testing.ImageFiles;
import io.tilespark.testing.TestImages;

/**
 * Bit depths, alpha, palettes and orientation: each kind of input is brought to what the operators
 * take without losing what it means, and alpha comes back out where the output format holds it.
 */
class PixelFormatsTest {

    private static DecodePolicy policy;
    /** TIFF is opt-in on the openpnp (HDInsight) build; these tests opt in, as --formats would. */
    private static DecodePolicy withTiff;

    @BeforeAll
    static void load() {
        OpenCv.load();
        policy = DecodePolicy.defaults(OpenCv.buildProperty("opencv"));
        java.util.EnumSet<ImageFormat> f = java.util.EnumSet.copyOf(policy.allowed());
        f.add(ImageFormat.TIFF);
        withTiff = policy.withFormats(f);
    }

    private static double[] px(Mat m, int r, int c) {
        return m.get(r, c);
    }

    @Test
    void sixteenBitPngIsScaledToEightBitsWithANote() throws DecodeException {
        Mat m = new Mat(2, 3, CvType.CV_16UC3, new Scalar(65535, 32896, 0));
        try (Decoded d = Codec.decode(encode(".png", m), policy)) {
            assertEquals(CvType.CV_8UC3, d.colour.type());
            assertArrayEquals(new double[] {255, 128, 0}, px(d.colour, 1, 2));
            assertEquals(16, d.sourceDepth);
            assertTrue(d.notes().contains("16-bit input reduced to 8-bit"), d.notes().toString());
        } finally {
            m.release();
        }
    }

    @Test
    void sixteenBitPnmWithSmallMaxvalKeepsItsBrightness() throws DecodeException {
        // maxval 4095: OpenCV returns 4095 as 4095, which plain /257 scaling would make 16 (near black).
        byte[] pgm = concat(ascii("P5\n2 1\n4095\n"), new byte[] {0x0F, (byte) 0xFF, 0x08, 0x00});
        try (Decoded d = Codec.decode(pgm, policy)) {
            assertArrayEquals(new double[] {255}, px(d.colour, 0, 0));
            assertArrayEquals(new double[] {128}, px(d.colour, 0, 1));
            assertTrue(d.notes().contains("16-bit (max 4095) input reduced to 8-bit"), d.notes().toString());
        }
    }

    @Test
    void binaryPnmWithSmallMaxvalIsScaledToFullRange() throws DecodeException {
        byte[] pgm = concat(ascii("P5\n2 1\n15\n"), new byte[] {15, 7});
        try (Decoded d = Codec.decode(pgm, policy)) {
            assertArrayEquals(new double[] {255}, px(d.colour, 0, 0));
            assertArrayEquals(new double[] {119}, px(d.colour, 0, 1));
            assertTrue(d.notes().contains("samples scaled from 0..15 to 0..255"), d.notes().toString());
        }
        // The plain (ASCII) form is scaled by OpenCV itself; it must not be scaled twice.
        try (Decoded d = Codec.decode(ascii("P2\n2 1\n15\n15 7\n"), policy)) {
            assertArrayEquals(new double[] {255}, px(d.colour, 0, 0));
            assertArrayEquals(new double[] {119}, px(d.colour, 0, 1));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {".png", ".tif", ".webp"})
    void alphaIsSplitOffAndPutBackUnchanged(String ext) throws DecodeException {
        org.junit.jupiter.api.Assumptions.assumeTrue(!ext.equals(".webp") || policy.allows(ImageFormat.WEBP),
                "this build refuses WebP (docs/formats.md)");
        Mat bgra = TestImages.scene(31, 45, 4, 11);
        byte[] file = ext.equals(".webp") ? encode(ext, bgra, Imgcodecs.IMWRITE_WEBP_QUALITY, 101) : encode(ext, bgra);
        try (Decoded d = Codec.decode(file, withTiff)) {
            assertEquals(3, d.colour.channels());
            assertNotNull(d.alpha);
            Codec.Encoded out = Codec.encode(d.colour, d.alpha, FormatPolicy.byName(ext.substring(1)), 90);
            // Compared with what the input file holds (lossless WebP may rewrite colour under alpha 0).
            Mat in = Imgcodecs.imdecode(new MatOfByte(file), Imgcodecs.IMREAD_UNCHANGED);
            Mat back = Imgcodecs.imdecode(new MatOfByte(out.bytes), Imgcodecs.IMREAD_UNCHANGED);
            try {
                assertEquals(0, TestImages.diff(in, back), "lossless round trip of colour and alpha");
            } finally {
                in.release();
                back.release();
            }
        } finally {
            bgra.release();
        }
    }

    @Test
    void alphaIsDroppedWithANoteWhenWritingJpeg() throws DecodeException {
        Mat bgra = TestImages.scene(8, 8, 4, 12);
        try (Decoded d = Codec.decode(encode(".png", bgra), policy)) {
            Codec.Encoded out = Codec.encode(d.colour, d.alpha, ImageFormat.JPEG, 90);
            assertEquals(List.of("alpha dropped: jpeg has no alpha channel"), out.notes);
        } finally {
            bgra.release();
        }
    }

    @Test
    void greyWithAlphaKeepsItsAlpha() throws DecodeException {
        // PNG colour type 4 (grey + alpha), written by hand: OpenCV returns it as BGRA.
        byte[] rows = {0, 10, (byte) 200, 90, 50};
        byte[] png = ImageFiles.png(2, 1, 8, 4, rows);
        try (Decoded d = Codec.decode(png, policy)) {
            assertNotNull(d.alpha);
            assertArrayEquals(new double[] {200}, px(d.alpha, 0, 0));
            assertArrayEquals(new double[] {50}, px(d.alpha, 0, 1));
            double[] c = px(d.colour, 0, 1);
            assertEquals(90, c[c.length - 1]);
        }
    }

    @Test
    void palettePngBecomesItsColoursAndTransparencyBecomesAlpha() throws DecodeException {
        byte[] plte = ImageFiles.pngChunk("PLTE", new byte[] {(byte) 255, 0, 0, 0, 0, (byte) 255});
        byte[] trns = ImageFiles.pngChunk("tRNS", new byte[] {(byte) 255, 64});
        byte[] rows = {0, 0, 1}; // one row, filter 0, indices 0 and 1
        try (Decoded d = Codec.decode(ImageFiles.png(2, 1, 8, 3, rows, plte), policy)) {
            assertNull(d.alpha);
            assertArrayEquals(new double[] {0, 0, 255}, px(d.colour, 0, 0)); // red, as BGR
            assertArrayEquals(new double[] {255, 0, 0}, px(d.colour, 0, 1)); // blue
        }
        try (Decoded d = Codec.decode(ImageFiles.png(2, 1, 8, 3, rows, plte, trns), policy)) {
            assertNotNull(d.alpha);
            assertArrayEquals(new double[] {255}, px(d.alpha, 0, 0));
            assertArrayEquals(new double[] {64}, px(d.alpha, 0, 1));
        }
    }

    @Test
    void bmpBitFieldsWithoutAnAlphaMaskHaveNoAlpha() throws Exception {
        // OpenCV returns the unused fourth byte of these pixels as an alpha plane; the file has none.
        byte[] bmp = java.nio.file.Files.readAllBytes(io.tilespark.testing.Corpus.file("bmp/q/rgb32h52.bmp"));
        Mat raw = Imgcodecs.imdecode(new MatOfByte(bmp), Imgcodecs.IMREAD_UNCHANGED);
        try {
            assertEquals(4, raw.channels(), "premise: OpenCV's decoder adds a fourth channel");
        } finally {
            raw.release();
        }
        try (Decoded d = Codec.decode(bmp, policy)) {
            assertNull(d.alpha);
            assertEquals(3, d.colour.channels());
        }
        byte[] withAlpha = java.nio.file.Files.readAllBytes(io.tilespark.testing.Corpus.file("bmp/q/rgba32h56.bmp"));
        try (Decoded d = Codec.decode(withAlpha, policy)) {
            assertNotNull(d.alpha, "a v3 header with an alpha mask does carry alpha");
        }
    }

    @Test
    void bmpMasksThatOpenCvMisreadsAreRefused() throws Exception {
        byte[] bmp = java.nio.file.Files.readAllBytes(io.tilespark.testing.Corpus.file("bmp/g/rgb32bf.bmp"));
        DecodeException e = org.junit.jupiter.api.Assertions.assertThrows(DecodeException.class,
                () -> Codec.decode(bmp, policy));
        assertTrue(e.getMessage().startsWith("32-bit BMP with colour masks that are not whole bytes"), e.getMessage());
    }

    @Test
    void tiffAlphaComesOutUnpremultipliedWhateverLibtiffDoes() throws DecodeException {
        // Unassociated: stored 200,100,50 at alpha 128; libtiff's RGBA reader premultiplies it.
        byte[] unassoc = ImageFiles.tiffRgba(2, 1, 8, 2, new int[] {200, 100, 50, 128, 10, 20, 30, 255});
        try (Decoded d = Codec.decode(unassoc, withTiff)) {
            // 200 -> 100 (libtiff, rounded) -> 199: one unit is lost to the premultiplied round trip.
            assertArrayEquals(new double[] {50, 100, 200}, px(d.colour, 0, 0), 1.0); // BGR
            assertArrayEquals(new double[] {128}, px(d.alpha, 0, 0));
            assertArrayEquals(new double[] {30, 20, 10}, px(d.colour, 0, 1));
        }
        // Associated: the file stores 100,50,25 at alpha 128, i.e. the same colour premultiplied.
        byte[] assoc = ImageFiles.tiffRgba(1, 1, 8, 1, new int[] {100, 50, 25, 128});
        try (Decoded d = Codec.decode(assoc, withTiff)) {
            assertArrayEquals(new double[] {50, 100, 199}, px(d.colour, 0, 0));
            assertTrue(d.notes().contains("premultiplied alpha undone"), d.notes().toString());
        }
        // 16-bit associated: OpenCV returns the stored (premultiplied) samples.
        byte[] assoc16 = ImageFiles.tiffRgba(1, 1, 16, 1, new int[] {25700, 12850, 6425, 32896});
        try (Decoded d = Codec.decode(assoc16, withTiff)) {
            assertArrayEquals(new double[] {50, 100, 199}, px(d.colour, 0, 0));
            assertArrayEquals(new double[] {128}, px(d.alpha, 0, 0));
        }
    }

    @Test
    void animatedPngGivesItsDefaultImageOnEveryBuild() throws DecodeException {
        // Default image (IDAT) red, then a second frame green. OpenCV 4.13 would return the green one.
        byte[] red = {0, (byte) 255, 0, 0, (byte) 255, 0, 0};
        byte[] green = {0, 0, (byte) 255, 0, 0, (byte) 255, 0};
        byte[] sig = ImageFiles.slice(ImageFiles.png(2, 1, 8, 2, red), 0, 8);
        byte[] ihdr = ImageFiles.pngChunk("IHDR", ImageFiles.concat(ImageFiles.be32(2), ImageFiles.be32(1),
                new byte[] {8, 2, 0, 0, 0}));
        byte[] actl = ImageFiles.pngChunk("acTL", ImageFiles.concat(ImageFiles.be32(2), ImageFiles.be32(0)));
        byte[] fctl0 = ImageFiles.pngChunk("fcTL", fctl(0));
        byte[] idat = ImageFiles.pngChunk("IDAT", ImageFiles.deflate(red));
        byte[] fctl1 = ImageFiles.pngChunk("fcTL", fctl(1));
        byte[] fdat = ImageFiles.pngChunk("fdAT", ImageFiles.concat(ImageFiles.be32(2), ImageFiles.deflate(green)));
        byte[] iend = ImageFiles.pngChunk("IEND", new byte[0]);
        byte[] apng = ImageFiles.concat(sig, ihdr, actl, fctl0, idat, fctl1, fdat, iend);
        try (Decoded d = Codec.decode(apng, policy)) {
            assertArrayEquals(new double[] {0, 0, 255}, px(d.colour, 0, 0));
            assertTrue(d.notes().contains("animated PNG: only its default image is processed"), d.notes().toString());
        }
    }

    private static byte[] fctl(int seq) {
        return ImageFiles.concat(ImageFiles.be32(seq), ImageFiles.be32(2), ImageFiles.be32(1), ImageFiles.be32(0),
                ImageFiles.be32(0), ImageFiles.be16(1), ImageFiles.be16(10), new byte[] {0, 0});
    }

    @Test
    void oneBitPngComesOutBlackAndWhite() throws DecodeException {
        byte[] rows = {0, (byte) 0b1010_0000};
        try (Decoded d = Codec.decode(ImageFiles.png(3, 1, 1, 0, rows), policy)) {
            assertArrayEquals(new double[] {255}, px(d.colour, 0, 0));
            assertArrayEquals(new double[] {0}, px(d.colour, 0, 1));
            assertArrayEquals(new double[] {255}, px(d.colour, 0, 2));
        }
    }

    /** An asymmetric 3x2 pattern: every orientation moves its pixels to a different place. */
    private static Mat pattern() {
        Mat m = new Mat(40, 60, CvType.CV_8UC3, Scalar.all(0));
        m.submat(0, 20, 0, 20).setTo(new Scalar(255, 0, 0));   // top left: blue
        m.submat(0, 20, 40, 60).setTo(new Scalar(0, 255, 0));  // top right: green
        m.submat(20, 40, 0, 20).setTo(new Scalar(0, 0, 255));  // bottom left: red
        return m;
    }

    @Test
    void jpegExifOrientationSixIsTurnedAQuarterClockwise() throws DecodeException {
        Mat m = pattern();
        try (Decoded d = Codec.decode(ImageFiles.jpegWithOrientation(encode(".jpg", m, Imgcodecs.IMWRITE_JPEG_QUALITY, 100), 6),
                policy)) {
            assertEquals(40, d.width());
            assertEquals(60, d.height());
            // Stored top-left (blue) goes to the top right; stored bottom-left (red) to the top left.
            assertNear(new double[] {255, 0, 0}, px(d.colour, 10, 30));
            assertNear(new double[] {0, 0, 255}, px(d.colour, 10, 10));
            assertNear(new double[] {0, 255, 0}, px(d.colour, 50, 30));
            assertTrue(d.notes().contains("EXIF orientation 6 applied"), d.notes().toString());
        } finally {
            m.release();
        }
    }

    @Test
    void everyOrientationMatchesTheViewerTransform() throws DecodeException {
        Mat m = pattern();
        byte[] jpeg = encode(".jpg", m, Imgcodecs.IMWRITE_JPEG_QUALITY, 100);
        try (Decoded plain = Codec.decode(jpeg, policy)) {
            for (int o = 1; o <= 8; o++) {
                Mat expected = Orientation.upright(plain.colour, o);
                try (Decoded d = Codec.decode(ImageFiles.jpegWithOrientation(jpeg, o), policy)) {
                    assertEquals(0, TestImages.diff(expected, d.colour), "orientation " + o);
                    assertEquals(Orientation.transposes(o) ? 40 : 60, d.width(), "orientation " + o);
                } finally {
                    expected.release();
                }
            }
        } finally {
            m.release();
        }
    }

    @Test
    void keepOrientationLeavesPixelsAsStoredWithANote() throws DecodeException {
        Mat m = pattern();
        try (Decoded d = Codec.decode(ImageFiles.jpegWithOrientation(encode(".jpg", m), 6),
                policy.withOrientation(false))) {
            assertEquals(60, d.width());
            assertEquals(List.of("EXIF orientation 6 not applied (--keep-orientation)"), d.notes());
        } finally {
            m.release();
        }
    }

    @Test
    void orientationTurnsAlphaWithTheColour() throws DecodeException {
        Mat bgra = new Mat(40, 60, CvType.CV_8UC4, new Scalar(10, 20, 30, 255));
        bgra.submat(0, 20, 0, 20).setTo(new Scalar(10, 20, 30, 7)); // transparent-ish top-left
        byte[] png = ImageFiles.pngWithChunk(encode(".png", bgra), "eXIf", ImageFiles.exifOrientation(8));
        try (Decoded d = Codec.decode(png, policy)) {
            assertEquals(40, d.alpha.cols());
            assertEquals(60, d.alpha.rows());
            // Orientation 8 turns a quarter counter-clockwise: stored top-left goes to the bottom left.
            assertArrayEquals(new double[] {7}, px(d.alpha, 50, 10));
            assertArrayEquals(new double[] {255}, px(d.alpha, 10, 10));
        } finally {
            bgra.release();
        }
    }

    private static void assertNear(double[] expected, double[] actual) {
        List<String> off = new ArrayList<>();
        for (int i = 0; i < expected.length; i++) {
            if (Math.abs(expected[i] - actual[i]) > 12) {
                off.add("channel " + i + ": " + actual[i] + " vs " + expected[i]);
            }
        }
        assertTrue(off.isEmpty(), off.toString());
    }

    @Test
    void orientationHelperLeavesItsSourceAlone() {
        Mat m = pattern();
        Mat copy = m.clone();
        Mat r = Orientation.upright(m, 6);
        try {
            assertEquals(0, TestImages.diff(copy, m));
            Core.rotate(r, r, Core.ROTATE_90_COUNTERCLOCKWISE);
            assertEquals(0, TestImages.diff(copy, r));
        } finally {
            Mats.release(m, copy, r);
        }
    }

    private static final class Mats {
        static void release(Mat... ms) {
            io.tilespark.cv.Mats.release(ms);
        }
    }
}
