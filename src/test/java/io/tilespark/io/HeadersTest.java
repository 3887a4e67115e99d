package io.tilespark.io;

import static io.tilespark.testing.ImageFiles.ascii;
import static io.tilespark.testing.ImageFiles.be32;
import static io.tilespark.testing.ImageFiles.concat;
import static io.tilespark.testing.ImageFiles.encode;
import static io.tilespark.testing.ImageFiles.slice;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.imgcodecs.Imgcodecs;

import io.tilespark.cv.OpenCv;
import io.tilespark.testing.ImageFiles;
import io.tilespark.testing.TestImages;

/** Header readers: sizes read without decoding, and damaged or absurd headers refused. */
class HeadersTest {

    private static Mat colour;
    private static Mat grey;

    @BeforeAll
    static void images() {
        OpenCv.load();
        colour = TestImages.scene(23, 37, 3, 7);
        grey = TestImages.scene(23, 37, 1, 8);
    }

    @AfterAll
    static void release() {
        colour.release();
        grey.release();
    }

    private static byte[] file(String ext) {
        return encode(ext, ext.equals(".pgm") ? grey : colour);
    }

    @ParameterizedTest
    @ValueSource(strings = {".jpg", ".png", ".tif", ".webp", ".bmp", ".ppm", ".pgm"})
    void readsTheSizeOfEveryFormatOpenCvWrites(String ext) throws DecodeException {
        ImageHeader h = Headers.read(file(ext));
        assertEquals(37, h.width, ext);
        assertEquals(23, h.height, ext);
        assertEquals(ImageHeader.UPRIGHT, h.orientation);
    }

    @ParameterizedTest
    @ValueSource(strings = {".jpg", ".png", ".tif", ".webp", ".bmp", ".ppm"})
    void refusesFilesCutShort(String ext) {
        byte[] whole = file(ext);
        byte[] cut = slice(whole, 0, whole.length * 6 / 10);
        DecodeException e = assertThrows(DecodeException.class, () -> Headers.read(cut));
        assertTrue(e.getMessage().startsWith("truncated"), e.getMessage());
    }

    @Test
    void refusesEmptyAndUnknownFiles() {
        assertEquals("empty file (0 bytes)",
                assertThrows(DecodeException.class, () -> Headers.read(new byte[0])).getMessage());
        assertTrue(assertThrows(DecodeException.class, () -> Headers.read(ascii("<html>not found</html>")))
                .getMessage().startsWith("not an image"));
    }

    @Test
    void jpegFrameHeaderIsReadPastOtherSegments() throws DecodeException {
        byte[] jpeg = ImageFiles.jpegWithOrientation(file(".jpg"), 6);
        ImageHeader h = Headers.read(jpeg);
        assertEquals(37, h.width);
        assertEquals(23, h.height);
        assertEquals(3, h.channels);
        assertEquals(6, h.orientation);
    }

    @Test
    void brokenExifNeverFailsTheImage() throws DecodeException {
        byte[] jpeg = file(".jpg");
        byte[] junk = concat(ascii("Exif\0\0"), ascii("MM\0*\u0000\u0000\u00ff\u00ff")); // IFD offset far outside
        int len = junk.length + 2;
        byte[] bad = concat(slice(jpeg, 0, 2), new byte[] {(byte) 0xFF, (byte) 0xE1, 0, (byte) len}, junk,
                slice(jpeg, 2, jpeg.length));
        assertEquals(ImageHeader.UPRIGHT, Headers.read(bad).orientation);
    }

    @Test
    void jpegWithZeroWidthIsRefused() {
        byte[] jpeg = file(".jpg");
        int sof = indexOf(jpeg, new byte[] {(byte) 0xFF, (byte) 0xC0});
        byte[] bad = jpeg.clone();
        bad[sof + 7] = 0; // width high byte
        bad[sof + 8] = 0; // width low byte
        assertTrue(assertThrows(DecodeException.class, () -> Headers.read(bad)).getMessage().contains("empty image"));
    }

    @Test
    void pngWithBadHeaderChecksumIsRefused() {
        byte[] png = file(".png");
        png[18] ^= 1; // a bit of the width
        assertTrue(assertThrows(DecodeException.class, () -> Headers.read(png)).getMessage().contains("checksum"));
    }

    @Test
    void pngClaimingMorePixelsThanItsDataCanHoldIsRefused() {
        // A valid 15000x15000 header (225 MP, under the 250 MP limit) over 9 bytes of pixel data.
        byte[] png = ImageFiles.png(15000, 15000, 8, 2, new byte[] {0, 1, 2, 3});
        DecodeException e = assertThrows(DecodeException.class, () -> Headers.read(png));
        assertTrue(e.getMessage().contains("cannot hold 15000x15000"), e.getMessage());
    }

    @Test
    void absurdSidesAreRefused() {
        byte[] png = ImageFiles.png(2_000_000, 1, 8, 0, new byte[] {0});
        assertTrue(assertThrows(DecodeException.class, () -> Headers.read(png)).getMessage().contains("absurd"));
    }

    @Test
    void tiffWithAbsurdDirectoryIsRefused() {
        byte[] tif = file(".tif");
        byte[] bad = tif.clone();
        int ifd = (int) ((bad[4] & 0xFF) | (bad[5] & 0xFF) << 8 | (bad[6] & 0xFF) << 16 | (bad[7] & 0xFF) << 24);
        bad[ifd] = (byte) 0xFF; // entry count 0xFFxx, little-endian
        bad[ifd + 1] = (byte) 0xFF;
        assertTrue(assertThrows(DecodeException.class, () -> Headers.read(bad)).getMessage().contains("entry count"));
    }

    @Test
    void floatTiffIsRefusedWithAReason() {
        Mat f = new Mat(4, 5, CvType.CV_32FC1);
        try {
            byte[] tif = encode(".tif", f);
            assertTrue(assertThrows(DecodeException.class, () -> Headers.read(tif)).getMessage()
                    .contains("not supported"));
        } finally {
            f.release();
        }
    }

    @Test
    void bmpWithImpossiblePlaneCountIsRefused() {
        byte[] bmp = file(".bmp");
        bmp[26] = 3;
        assertTrue(assertThrows(DecodeException.class, () -> Headers.read(bmp)).getMessage().contains("planes"));
    }

    @Test
    void pnmHeadersWithCommentsAndMaxvalAreRead() throws DecodeException {
        byte[] pgm = concat(ascii("P5\n# a comment\n3 2\n# another\n4095\n"), new byte[12]);
        ImageHeader h = Headers.read(pgm);
        assertEquals(3, h.width);
        assertEquals(2, h.height);
        assertEquals(16, h.bits);
        assertEquals(4095, h.maxValue);
        byte[] zeroMax = concat(ascii("P5 3 2 0\n"), new byte[6]);
        assertTrue(assertThrows(DecodeException.class, () -> Headers.read(zeroMax)).getMessage().contains("maxval"));
    }

    @Test
    void webpCanvasThatDisagreesWithItsImageIsRefused() throws DecodeException {
        byte[] simple = file(".webp"); // RIFF....WEBP + one VP8 or VP8L chunk
        byte[] frame = slice(simple, 12, simple.length);
        byte[] vp8x = concat(ascii("VP8X"), new byte[] {10, 0, 0, 0, 0, 0, 0, 0},
                new byte[] {99, 0, 0, 22, 0, 0}); // canvas 100x23, image is 37x23
        byte[] body = concat(ascii("WEBP"), vp8x, frame);
        byte[] riff = concat(ascii("RIFF"), le32(body.length), body);
        DecodeException e = assertThrows(DecodeException.class, () -> Headers.read(riff));
        assertTrue(e.getMessage().contains("canvas is 100x23"), e.getMessage());
    }

    @Test
    void webpExtendedFormCarriesOrientation() throws DecodeException {
        byte[] simple = file(".webp");
        byte[] frame = slice(simple, 12, simple.length);
        byte[] vp8x = concat(ascii("VP8X"), new byte[] {10, 0, 0, 0, 0x08, 0, 0, 0},
                new byte[] {36, 0, 0, 22, 0, 0});
        byte[] exif = ImageFiles.exifOrientation(8);
        byte[] exifChunk = concat(ascii("EXIF"), le32(exif.length), exif);
        byte[] body = concat(ascii("WEBP"), vp8x, frame, exifChunk);
        byte[] riff = concat(ascii("RIFF"), le32(body.length), body);
        ImageHeader h = Headers.read(riff);
        assertEquals(37, h.width);
        assertEquals(8, h.orientation);
        Mat m = Imgcodecs.imdecode(new org.opencv.core.MatOfByte(riff), Imgcodecs.IMREAD_UNCHANGED);
        try {
            assertEquals(37, m.cols(), "the hand-built extended WebP must still decode");
        } finally {
            m.release();
        }
    }

    private static byte[] le32(long v) {
        byte[] b = be32(v);
        return new byte[] {b[3], b[2], b[1], b[0]};
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
