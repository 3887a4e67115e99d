package io.tilespark.io;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/** Bytes to {@link Decoded} and back. Every refusal is a one-line {@link DecodeException}. */
public final class Codec {

    private Codec() {
    }

    /** Encoded output bytes plus what had to change to fit the format (e.g. alpha dropped for JPEG). */
    public static final class Encoded {
        public final byte[] bytes;
        public final ImageFormat format;
        public final List<String> notes;

        Encoded(byte[] bytes, ImageFormat format, List<String> notes) {
            this.bytes = bytes;
            this.format = format;
            this.notes = notes;
        }
    }

    public static Decoded decode(byte[] bytes, Set<ImageFormat> allowed) throws DecodeException {
        if (bytes.length == 0) {
            throw new DecodeException("empty file (0 bytes)");
        }
        ImageFormat format = ImageFormat.sniff(Arrays.copyOf(bytes, Math.min(bytes.length, 16)));
        if (format == ImageFormat.UNKNOWN) {
            throw new DecodeException("not an image: no known format signature in the first bytes");
        }
        if (!allowed.contains(format)) {
            throw new DecodeException(format.label() + " input is not accepted by this build (accepted: "
                    + labels(allowed) + ")");
        }
        MatOfByte buf = new MatOfByte(bytes);
        Mat raw;
        try {
            raw = Imgcodecs.imdecode(buf, Imgcodecs.IMREAD_UNCHANGED);
        } finally {
            buf.release();
        }
        if (raw == null || raw.empty()) {
            if (raw != null) {
                raw.release();
            }
            throw new DecodeException("cannot decode " + format.label() + " data (corrupt or truncated)");
        }
        return normalise(raw, format);
    }

    /** Brings any decoded Mat to 8-bit grey/BGR plus optional alpha; takes ownership of {@code raw}. */
    static Decoded normalise(Mat raw, ImageFormat format) throws DecodeException {
        List<String> notes = new ArrayList<>();
        int channels = raw.channels();
        int depth = raw.depth();
        Mat img = raw;
        try {
            if (depth == CvType.CV_16U) {
                Mat eight = new Mat();
                img.convertTo(eight, CvType.makeType(CvType.CV_8U, channels), 1.0 / 257.0);
                img.release();
                img = eight;
                notes.add("16-bit input reduced to 8-bit");
            } else if (depth != CvType.CV_8U) {
                throw new DecodeException(format.label() + " with " + CvType.typeToString(raw.type())
                        + " pixels is not supported (8- and 16-bit integer images are)");
            }
            Mat colour;
            Mat alpha = null;
            switch (channels) {
                case 1:
                case 3:
                    colour = img;
                    img = null;
                    break;
                case 2:
                case 4: {
                    List<Mat> planes = new ArrayList<>();
                    Core.split(img, planes);
                    alpha = planes.remove(planes.size() - 1);
                    colour = new Mat();
                    Core.merge(planes, colour);
                    for (Mat p : planes) {
                        p.release();
                    }
                    break;
                }
                default:
                    throw new DecodeException(format.label() + " with " + channels + " channels is not supported");
            }
            return new Decoded(format, colour, alpha, channels, depth == CvType.CV_16U ? 16 : 8, notes);
        } finally {
            if (img != null) {
                img.release();
            }
        }
    }

    /**
     * Encodes colour (plus alpha where the format holds it). Deterministic: the same pixels and
     * settings give the same bytes, which makes re-runs byte-identical.
     */
    public static Encoded encode(Mat colour, Mat alpha, ImageFormat format, int jpegQuality) {
        if (!format.encodable) {
            throw new IllegalArgumentException("cannot write " + format.label());
        }
        List<String> notes = new ArrayList<>();
        Mat toWrite = colour;
        try {
            if (alpha != null) {
                if (format == ImageFormat.PNG || format == ImageFormat.TIFF || format == ImageFormat.WEBP) {
                    toWrite = withAlpha(colour, alpha);
                } else {
                    notes.add("alpha dropped: " + format.label() + " has no alpha channel");
                }
            }
            MatOfInt params = format == ImageFormat.JPEG
                    ? new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, jpegQuality)
                    : new MatOfInt();
            MatOfByte out = new MatOfByte();
            try {
                if (!Imgcodecs.imencode("." + format.extension, toWrite, out, params)) {
                    throw new IllegalStateException("OpenCV could not encode " + format.label());
                }
                return new Encoded(out.toArray(), format, notes);
            } finally {
                out.release();
                params.release();
            }
        } finally {
            if (toWrite != colour) {
                toWrite.release();
            }
        }
    }

    private static Mat withAlpha(Mat colour, Mat alpha) {
        Mat bgr = colour;
        if (colour.channels() == 1) {
            bgr = new Mat();
            Imgproc.cvtColor(colour, bgr, Imgproc.COLOR_GRAY2BGR);
        }
        List<Mat> planes = new ArrayList<>();
        Core.split(bgr, planes);
        planes.add(alpha);
        Mat out = new Mat();
        Core.merge(planes, out);
        for (int i = 0; i < planes.size() - 1; i++) {
            planes.get(i).release();
        }
        if (bgr != colour) {
            bgr.release();
        }
        return out;
    }

    private static String labels(Set<ImageFormat> formats) {
        StringBuilder sb = new StringBuilder();
        for (ImageFormat f : formats) {
            sb.append(sb.length() > 0 ? ", " : "").append(f.label());
        }
        return sb.toString();
    }
}
