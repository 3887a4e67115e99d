package io.tilespark.cv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;

/** Pixels cross shuffles: they must come back exactly as they left, whether Mats or views. */
class PixelsTest {

    @BeforeAll
    static void load() {
        OpenCv.load();
    }

    private static Mat noise(int rows, int cols, int type) {
        Mat m = new Mat(rows, cols, type);
        Core.randu(m, 0, 256);
        return m;
    }

    private static byte[] write(Pixels p) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(p);
        }
        return bytes.toByteArray();
    }

    private static Pixels read(byte[] b) throws IOException, ClassNotFoundException {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(b))) {
            return (Pixels) in.readObject();
        }
    }

    private static void assertSameMat(Mat expected, Mat actual) {
        assertEquals(expected.size(), actual.size());
        assertEquals(expected.type(), actual.type());
        Mat diff = new Mat();
        Core.absdiff(expected, actual, diff);
        assertEquals(0, Core.countNonZero(diff.reshape(1)));
        diff.release();
    }

    @Test
    void wholeMatsAndViewsRoundTripExactly() throws Exception {
        for (int type : new int[] {CvType.CV_8UC1, CvType.CV_8UC3, CvType.CV_8UC4}) {
            Mat image = noise(97, 131, type);
            Pixels whole = read(write(Pixels.own(image.clone())));
            assertSameMat(image, whole.mat());

            Rect r = new Rect(13, 7, 61, 45);
            Mat region = image.submat(r);
            Pixels back = read(write(Pixels.view(image.submat(r))));
            assertSameMat(region, back.mat());
            assertTrue(back.mat().isContinuous());
            assertFalse(back.mat().isSubmatrix());
            whole.release();
            back.release();
            region.release();
            image.release();
        }
    }

    @Test
    void aViewHandsOutACopyOfItsOwnNotTheView() {
        Mat image = noise(40, 50, CvType.CV_8UC3);
        Mat region = image.submat(new Rect(5, 6, 20, 10));
        Pixels p = Pixels.view(image.submat(new Rect(5, 6, 20, 10)));
        Mat m = p.mat();
        assertTrue(m.isContinuous());
        assertFalse(m.isSubmatrix());
        assertSameMat(region, m);
        // Writing to the copy leaves the image alone.
        Mat before = region.clone();
        m.setTo(new Scalar(0, 0, 0));
        assertSameMat(before, region);
        before.release();
        p.release();
        region.release();
        image.release();
    }

    @Test
    void pixelsMarkedForTheShuffleAreFreedOnceWritten() throws Exception {
        Mat image = noise(30, 30, CvType.CV_8UC1);
        Pixels p = Pixels.view(image.submat(new Rect(0, 0, 10, 10))).forShuffle();
        Pixels back = read(write(p));
        assertThrows(IllegalStateException.class, p::mat);
        assertEquals(10, back.mat().rows());
        Pixels kept = Pixels.own(image.clone());
        write(kept);
        assertEquals(30, kept.mat().rows(), "not marked: still usable after writing");
        kept.release();
        back.release();
        image.release();
    }
}
