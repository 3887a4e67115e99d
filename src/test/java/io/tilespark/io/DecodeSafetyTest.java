package io.tilespark.io;

import static io.tilespark.testing.ImageFiles.encode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;

import io.tilespark.cv.OpenCv;
import io.tilespark.testing.ImageFiles;

/** What reaches the native decoder, and what is refused before it. */
class DecodeSafetyTest {

    private static DecodePolicy policy;

    @BeforeAll
    static void load() {
        OpenCv.load();
        policy = DecodePolicy.defaults(OpenCv.buildProperty("opencv"));
    }

    @Test
    void imageOverMaxPixelsIsRefusedBeforeDecoding() {
        // A real, valid PNG of 17000 x 17000 = 289 MP; its zeros deflate to a few hundred KB.
        Mat big = new Mat(17000, 17000, CvType.CV_8UC1, Scalar.all(0));
        byte[] png;
        try {
            png = encode(".png", big);
        } finally {
            big.release();
        }
        DecodeException e = assertThrows(DecodeException.class, () -> Codec.decode(png, policy));
        assertEquals("png is 17000x17000 = 289.0 MP, over the limit of 250.0 MP (--max-pixels)", e.getMessage());
    }

    @Test
    void maxPixelsIsConfigurable() throws DecodeException {
        Mat m = new Mat(100, 100, CvType.CV_8UC3, Scalar.all(9));
        byte[] png;
        try {
            png = encode(".png", m);
        } finally {
            m.release();
        }
        assertThrows(DecodeException.class, () -> Codec.decode(png, policy.withMaxPixels(9_999)));
        try (Decoded d = Codec.decode(png, policy.withMaxPixels(10_000))) {
            assertEquals(100, d.width());
        }
    }

    @Test
    void formatOutsideTheAllowlistIsRefusedWithTheList() {
        Mat m = new Mat(8, 8, CvType.CV_8UC3, Scalar.all(9));
        byte[] bmp;
        try {
            bmp = encode(".bmp", m);
        } finally {
            m.release();
        }
        DecodePolicy jpegPng = policy.withFormats(EnumSet.of(ImageFormat.JPEG, ImageFormat.PNG));
        DecodeException e = assertThrows(DecodeException.class, () -> Codec.decode(bmp, jpegPng));
        assertEquals("bmp input is not accepted (accepted: jpeg, png)", e.getMessage());
    }

    @Test
    void identifiesFormatByContentNotName() throws DecodeException {
        // The decoder sees only bytes; what matters is that a PNG is read as a PNG whatever it is called.
        Mat m = new Mat(5, 7, CvType.CV_8UC3, Scalar.all(40));
        try (Decoded d = Codec.decode(encode(".png", m), policy)) {
            assertEquals(ImageFormat.PNG, d.format);
        } finally {
            m.release();
        }
    }

    @Test
    void truncatedJpegIsRefusedEvenWhereOpenCvWouldPadItWithGrey() {
        Mat m = io.tilespark.testing.TestImages.scene(200, 300, 3, 4);
        byte[] jpeg;
        try {
            jpeg = encode(".jpg", m);
        } finally {
            m.release();
        }
        byte[] cut = ImageFiles.slice(jpeg, 0, jpeg.length * 7 / 10);
        // The premise, measured: OpenCV 4.7 (openpnp, the HDInsight build) returns the cut file as a
        // full-size image padded with grey; 4.13 (bytedeco) refuses it.
        Mat raw = org.opencv.imgcodecs.Imgcodecs.imdecode(new org.opencv.core.MatOfByte(cut), -1);
        try {
            assertEquals("openpnp".equals(OpenCv.buildProperty("opencv")) ? 300 : 0, raw.cols());
        } finally {
            raw.release();
        }
        DecodeException e = assertThrows(DecodeException.class, () -> Codec.decode(cut, policy));
        assertEquals("truncated JPEG: the image data has no end-of-image marker", e.getMessage());
    }

    @Test
    void zeroByteAndNonImageFilesAreRefused() {
        assertEquals("empty file (0 bytes)",
                assertThrows(DecodeException.class, () -> Codec.decode(new byte[0], policy)).getMessage());
        assertTrue(assertThrows(DecodeException.class,
                () -> Codec.decode(ImageFiles.ascii("%PDF-1.4 not an image"), policy)).getMessage()
                .startsWith("not an image"));
    }

    @Test
    void fourChannelJpegWithoutAdobeMarkerIsRefused() throws Exception {
        // OpenCV cannot write CMYK JPEG; take Pillow's sample and remove its APP14 Adobe segment.
        byte[] cmyk = java.nio.file.Files.readAllBytes(io.tilespark.testing.Corpus.file("pil_sample_cmyk.jpg"));
        try (Decoded d = Codec.decode(cmyk, policy)) {
            assertEquals(3, d.colour.channels());
            assertTrue(d.notes().contains("CMYK converted to BGR without colour management"), d.notes().toString());
        }
        byte[] noAdobe = stripSegment(cmyk, 0xEE);
        assertEquals("four-channel JPEG without an Adobe marker: whether its inks are inverted is unknown",
                assertThrows(DecodeException.class, () -> Codec.decode(noAdobe, policy)).getMessage());
    }

    @Test
    void fourChannelJpegComesOutCloseToTheSameImageSavedAsRgb() throws Exception {
        // Pillow's pil_sample_cmyk.jpg and pil_sample_rgb.jpg are the same picture.
        byte[] cmyk = java.nio.file.Files.readAllBytes(io.tilespark.testing.Corpus.file("pil_sample_cmyk.jpg"));
        byte[] rgb = java.nio.file.Files.readAllBytes(io.tilespark.testing.Corpus.file("pil_sample_rgb.jpg"));
        try (Decoded a = Codec.decode(cmyk, policy); Decoded b = Codec.decode(rgb, policy)) {
            Mat diff = new Mat();
            try {
                org.opencv.core.Core.absdiff(a.colour, b.colour, diff);
                double mean = org.opencv.core.Core.mean(diff).val[0];
                assertTrue(mean < 8, "mean difference " + mean + " (an ink-inverted decode would be ~200)");
            } finally {
                diff.release();
            }
        }
    }

    /** Removes every marker segment of the given type from a JPEG (before the first scan). */
    static byte[] stripSegment(byte[] jpeg, int marker) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        int pos = 2;
        while (pos + 4 <= jpeg.length) {
            int m = jpeg[pos + 1] & 0xFF;
            int len = (jpeg[pos + 2] & 0xFF) << 8 | (jpeg[pos + 3] & 0xFF);
            if (m == 0xDA) {
                break;
            }
            if (m != marker) {
                out.write(jpeg, pos, len + 2);
            }
            pos += len + 2;
        }
        out.write(jpeg, pos, jpeg.length - pos);
        return out.toByteArray();
    }

    @Test
    void floatImagesAreRefusedWithAReason() {
        Mat f = new Mat(4, 4, CvType.CV_32FC3, Scalar.all(0.5));
        try {
            byte[] tif = encode(".tif", f);
            EnumSet<ImageFormat> formats = EnumSet.copyOf(policy.allowed());
            formats.add(ImageFormat.TIFF); // opt-in on the openpnp build
            DecodeException e = assertThrows(DecodeException.class, () -> Codec.decode(tif, policy.withFormats(formats)));
            assertTrue(e.getMessage().contains("not supported"), e.getMessage());
        } finally {
            f.release();
        }
    }

    @Test
    void decodedSizeMustMatchTheHeader() {
        // A 37x23 PNG whose IHDR (with a fixed checksum) claims 37x24: the decoder cannot agree.
        Mat m = new Mat(23, 37, CvType.CV_8UC1, Scalar.all(3));
        byte[] png;
        try {
            png = encode(".png", m);
        } finally {
            m.release();
        }
        byte[] ihdr = ImageFiles.slice(png, 16, 29);
        ihdr[7] = 24;
        byte[] fixed = ImageFiles.concat(ImageFiles.slice(png, 0, 8), ImageFiles.pngChunk("IHDR", ihdr),
                ImageFiles.slice(png, 33, png.length));
        DecodeException e = assertThrows(DecodeException.class, () -> Codec.decode(fixed, policy));
        assertTrue(e.getMessage().startsWith("c"), e.getMessage()); // "cannot decode" or "corrupt png: ..."
    }

    @Test
    void greyStaysOneChannelAndHasNoAlpha() throws DecodeException {
        Mat m = new Mat(6, 9, CvType.CV_8UC1, Scalar.all(77));
        try (Decoded d = Codec.decode(encode(".png", m), policy)) {
            assertEquals(1, d.colour.channels());
            assertNull(d.alpha);
        } finally {
            m.release();
        }
    }
}
