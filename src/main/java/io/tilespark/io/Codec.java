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

    /** Decodes with the default limits of {@link DecodePolicy} and the given allowlist. */
    public static Decoded decode(byte[] bytes, Set<ImageFormat> allowed) throws DecodeException {
        return decode(bytes, new DecodePolicy(allowed, DecodePolicy.DEFAULT_MAX_PIXELS, true,
                io.tilespark.cv.OpenCv.buildProperty("opencv")));
    }

    /**
     * Checks, then decodes. Nothing reaches OpenCV's native decoder before the format is known from
     * its magic bytes, allowed by the policy, and its header has been read and found consistent
     * and within the pixel limit (see {@link Headers}). Then the pixels are brought to what the
     * operators take: 8-bit grey or BGR, alpha split off, upright.
     */
    public static Decoded decode(byte[] bytes, DecodePolicy policy) throws DecodeException {
        if (bytes.length == 0) {
            throw new DecodeException("empty file (0 bytes)");
        }
        ImageFormat format = ImageFormat.sniff(Arrays.copyOf(bytes, Math.min(bytes.length, 16)));
        if (format == ImageFormat.UNKNOWN) {
            throw new DecodeException("not an image: no known format signature in the first bytes");
        }
        if (!policy.allows(format)) {
            String why = FormatPolicy.reason(policy.build, format);
            throw new DecodeException(format.label() + " input is not accepted (accepted: " + labels(policy.allowed())
                    + ")" + (why.isEmpty() ? "" : ": " + why));
        }
        ImageHeader header = Headers.read(bytes, format);
        if (header.pixels() > policy.maxPixels) {
            throw new DecodeException(String.format(java.util.Locale.ROOT,
                    "%s is %dx%d = %.1f MP, over the limit of %.1f MP (--max-pixels)", format.label(), header.width,
                    header.height, header.pixels() / 1e6, policy.maxPixels / 1e6));
        }
        if (header.cmyk && format == ImageFormat.JPEG && !header.adobe) {
            throw new DecodeException("four-channel JPEG without an Adobe marker: whether its inks are inverted is unknown");
        }
        List<String> before = new ArrayList<>();
        if (header.animated) {
            if (format == ImageFormat.PNG) {
                bytes = PngHeader.stillImage(bytes);
                before.add("animated PNG: only its default image is processed");
            } else {
                before.add("animated " + format.label() + ": only its first frame is processed");
            }
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
        boolean sameSize = raw.cols() == header.width && raw.rows() == header.height;
        // OpenCV turns TIFFs upright itself (their orientation tag), which may swap the sides.
        boolean swapped = format == ImageFormat.TIFF && raw.cols() == header.height && raw.rows() == header.width;
        if (!sameSize && !swapped) {
            String got = raw.cols() + "x" + raw.rows();
            raw.release();
            throw new DecodeException("corrupt " + format.label() + ": the decoder returned " + got
                    + " pixels but the header says " + header.width + "x" + header.height);
        }
        Decoded d = normalise(raw, header);
        for (String note : before) {
            d = d.withNote(note);
        }
        if (header.orientation == ImageHeader.UPRIGHT) {
            return d;
        }
        if (!policy.applyOrientation) {
            return d.withNote("EXIF orientation " + header.orientation + " not applied (--keep-orientation)");
        }
        return upright(d, header.orientation);
    }

    /** Applies the orientation to colour and alpha alike; takes ownership of {@code d}. */
    private static Decoded upright(Decoded d, int orientation) {
        Mat colour = null;
        Mat alpha = null;
        try {
            colour = Orientation.upright(d.colour, orientation);
            alpha = d.alpha == null ? null : Orientation.upright(d.alpha, orientation);
            List<String> notes = new ArrayList<>(d.notes());
            notes.add("EXIF orientation " + orientation + " applied");
            Decoded out = new Decoded(d.format, colour, alpha, d.sourceChannels, d.sourceDepth, notes);
            colour = null;
            alpha = null;
            return out;
        } finally {
            d.close();
            if (colour != null) {
                colour.release();
            }
            if (alpha != null) {
                alpha.release();
            }
        }
    }

    /** Kept for callers that have no header: 16-bit is assumed to use the full range. */
    static Decoded normalise(Mat raw, ImageFormat format) throws DecodeException {
        return normalise(raw, null, format);
    }

    static Decoded normalise(Mat raw, ImageHeader header) throws DecodeException {
        return normalise(raw, header, header.format);
    }

    /**
     * Brings any decoded Mat to 8-bit grey/BGR plus optional alpha; takes ownership of {@code raw}.
     * Samples are scaled by the largest value the decoder returns for this file (the header's
     * {@link ImageHeader#maxValue}), so 12-bit TIFF and PNM with a small maxval keep their full
     * brightness range instead of coming out nearly black.
     */
    private static Decoded normalise(Mat raw, ImageHeader header, ImageFormat format) throws DecodeException {
        List<String> notes = new ArrayList<>();
        int channels = raw.channels();
        int depth = raw.depth();
        Mat img = raw;
        try {
            int max = header == null || header.maxValue == 0 ? (depth == CvType.CV_16U ? 65535 : 255) : header.maxValue;
            if (depth == CvType.CV_16U) {
                Mat eight = new Mat();
                img.convertTo(eight, CvType.makeType(CvType.CV_8U, channels), 255.0 / max);
                img.release();
                img = eight;
                notes.add((max == 65535 ? "16-bit" : "16-bit (max " + max + ")") + " input reduced to 8-bit");
            } else if (depth != CvType.CV_8U) {
                throw new DecodeException(format.label() + " with " + CvType.typeToString(raw.type())
                        + " pixels is not supported (8- and 16-bit unsigned integer images are)");
            } else if (max < 255) {
                Mat scaled = new Mat();
                img.convertTo(scaled, -1, 255.0 / max);
                img.release();
                img = scaled;
                notes.add("samples scaled from 0.." + max + " to 0..255");
            }
            if (header != null && header.cmyk) {
                notes.add("CMYK converted to BGR without colour management");
            }
            if (header != null && header.noAlpha && channels == 4) {
                // A fourth plane made up by the decoder (see ImageHeader.noAlpha), not the file's alpha.
                Mat bgr = new Mat();
                Imgproc.cvtColor(img, bgr, Imgproc.COLOR_BGRA2BGR);
                img.release();
                img = bgr;
                channels = 3;
            }
            if (header != null && header.premultiplied && (channels == 2 || channels == 4)) {
                Mat straight = unpremultiply(img);
                img.release();
                img = straight;
                notes.add("premultiplied alpha undone");
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
     * Colour divided by alpha, as PNG and WebP store it: c' = round(c * 255 / a), 0 where a = 0.
     * Worked in 16-bit integers, where OpenCV's divide rounds and gives 0 for a zero divisor.
     */
    static Mat unpremultiply(Mat withAlpha) {
        List<Mat> planes = new ArrayList<>();
        Core.split(withAlpha, planes);
        Mat alpha = planes.remove(planes.size() - 1);
        Mat alpha16 = new Mat();
        alpha.convertTo(alpha16, CvType.CV_16U);
        try {
            List<Mat> out = new ArrayList<>();
            for (Mat p : planes) {
                Mat wide = new Mat();
                p.convertTo(wide, CvType.CV_16U, 255.0);
                Core.divide(wide, alpha16, wide);
                Mat eight = new Mat();
                wide.convertTo(eight, CvType.CV_8U);
                wide.release();
                out.add(eight);
            }
            out.add(alpha);
            Mat merged = new Mat();
            Core.merge(out, merged);
            for (Mat m : out) {
                m.release();
            }
            return merged;
        } finally {
            for (Mat p : planes) {
                p.release();
            }
            alpha16.release();
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
