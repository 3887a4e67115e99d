package io.tilespark.io;

import java.util.HashMap;
import java.util.Map;

/**
 * The first image file directory (IFD) of a TIFF structure: a TIFF file, or the EXIF block inside
 * a JPEG APP1 segment, a WebP EXIF chunk or a PNG eXIf chunk, which use the same layout. Classic
 * TIFF and BigTIFF; every offset is checked against the bytes actually present.
 * Layout: TIFF 6.0 specification, section 2; BigTIFF: libtiff's BigTIFF design notes.
 */
final class TiffStructure {
    /** More entries than any real writer produces; a larger count is a corrupt or hostile file. */
    private static final int MAX_ENTRIES = 4096;
    /** Longest value array read (strip offsets of a huge image stay far below this). */
    private static final int MAX_VALUES = 1 << 22;

    static final class Entry {
        final int type;
        final long count;
        /** Where the value bytes start: inside the entry when they fit, else at the offset it holds. */
        final long valueAt;

        Entry(int type, long count, long valueAt) {
            this.type = type;
            this.count = count;
            this.valueAt = valueAt;
        }
    }

    private final Bytes in;
    final boolean bigEndian;
    final boolean bigTiff;
    private final Map<Integer, Entry> entries = new HashMap<>();

    private TiffStructure(Bytes in, boolean bigEndian, boolean bigTiff) {
        this.in = in;
        this.bigEndian = bigEndian;
        this.bigTiff = bigTiff;
    }

    static TiffStructure parse(Bytes in) throws DecodeException {
        boolean be;
        if (in.matches(0, "MM")) {
            be = true;
        } else if (in.matches(0, "II")) {
            be = false;
        } else {
            throw new DecodeException("TIFF structure has no byte-order mark");
        }
        int magic = in.u16(2, be);
        long ifd;
        boolean big;
        if (magic == 42) {
            big = false;
            ifd = in.u32(4, be);
        } else if (magic == 43) {
            big = true;
            if (in.u16(4, be) != 8 || in.u16(6, be) != 0) {
                throw new DecodeException("BigTIFF header has an unexpected offset size");
            }
            ifd = in.u64(8, be);
        } else {
            throw new DecodeException("TIFF structure has a bad magic number " + magic);
        }
        TiffStructure t = new TiffStructure(in, be, big);
        t.readIfd(ifd);
        return t;
    }

    private void readIfd(long at) throws DecodeException {
        int headerSize = bigTiff ? 16 : 8;
        if (at >= in.length()) {
            throw new DecodeException("truncated TIFF: the first directory at byte " + at + " lies past the end of the "
                    + in.length() + "-byte data");
        }
        if (at < headerSize) {
            throw new DecodeException("corrupt TIFF: first directory offset " + at);
        }
        long n = bigTiff ? in.u64(at, bigEndian) : in.u16(at, bigEndian);
        if (n == 0 || n > MAX_ENTRIES) {
            throw new DecodeException("TIFF directory has an absurd entry count " + n);
        }
        int entrySize = bigTiff ? 20 : 12;
        long first = at + (bigTiff ? 8 : 2);
        in.need(first, n * entrySize);
        for (int i = 0; i < n; i++) {
            long e = first + (long) i * entrySize;
            int tag = in.u16(e, bigEndian);
            int type = in.u16(e + 2, bigEndian);
            long count = bigTiff ? in.u64(e + 4, bigEndian) : in.u32(e + 4, bigEndian);
            int size = typeSize(type);
            long inline = bigTiff ? 8 : 4;
            long valueField = e + (bigTiff ? 12 : 8);
            long valueAt;
            if (size == 0 || count < 0 || count > Integer.MAX_VALUE) {
                continue; // unknown type or absurd count: libtiff ignores such entries too
            }
            if (count * size <= inline) {
                valueAt = valueField;
            } else {
                valueAt = bigTiff ? in.u64(valueField, bigEndian) : in.u32(valueField, bigEndian);
            }
            entries.putIfAbsent(tag, new Entry(type, count, valueAt));
        }
    }

    static int typeSize(int type) {
        switch (type) {
            case 1: case 2: case 6: case 7:
                return 1;
            case 3: case 8:
                return 2;
            case 4: case 9: case 11: case 13:
                return 4;
            case 5: case 10: case 12: case 16: case 17: case 18:
                return 8;
            default:
                return 0;
        }
    }

    boolean has(int tag) {
        return entries.containsKey(tag);
    }

    /** First value of an integer tag, or {@code dflt} when the tag is absent. */
    long value(int tag, long dflt) throws DecodeException {
        Entry e = entries.get(tag);
        if (e == null || e.count == 0) {
            return dflt;
        }
        return read(e, 0);
    }

    /** All values of an integer tag (up to a sane maximum); an empty array when absent. */
    long[] values(int tag) throws DecodeException {
        Entry e = entries.get(tag);
        if (e == null) {
            return new long[0];
        }
        if (e.count > MAX_VALUES) {
            throw new DecodeException("TIFF tag " + tag + " has an absurd value count " + e.count);
        }
        in.need(e.valueAt, e.count * typeSize(e.type));
        long[] v = new long[(int) e.count];
        for (int i = 0; i < v.length; i++) {
            v[i] = read(e, i);
        }
        return v;
    }

    private long read(Entry e, long i) throws DecodeException {
        long at = e.valueAt + i * typeSize(e.type);
        switch (e.type) {
            case 1: case 6: case 7:
                return in.u8(at);
            case 3: case 8:
                return in.u16(at, bigEndian);
            case 4: case 9: case 13:
                return in.u32(at, bigEndian);
            case 16: case 17: case 18:
                return in.u64(at, bigEndian);
            default:
                throw new DecodeException("TIFF tag has non-integer type " + e.type + " where a number is expected");
        }
    }

    /**
     * The EXIF orientation (tag 274) of an EXIF block, 1 when absent or unreadable: a broken EXIF
     * block is common in the wild and viewers ignore it, so it never fails the image.
     */
    static int orientation(Bytes exif) {
        try {
            TiffStructure t = parse(exif);
            long o = t.value(274, ImageHeader.UPRIGHT);
            return o >= 1 && o <= 8 ? (int) o : ImageHeader.UPRIGHT;
        } catch (DecodeException | RuntimeException e) {
            return ImageHeader.UPRIGHT;
        }
    }
}
