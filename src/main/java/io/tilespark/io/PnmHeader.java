package io.tilespark.io;

/**
 * Reads a Netpbm header: PBM/PGM/PPM (P1..P6) and PAM (P7), and checks that binary pixel data
 * fits in the file. Layout: the Netpbm format pages (pbm, pgm, ppm, pam) of netpbm.sourceforge.net.
 */
final class PnmHeader {

    private PnmHeader() {
    }

    /** A cursor over the ASCII header. */
    private static final class Cursor {
        final Bytes in;
        long pos;

        Cursor(Bytes in, long pos) {
            this.in = in;
            this.pos = pos;
        }

        /** Skips whitespace and '#' comments, then reads a decimal number of at most 9 digits. */
        long number(String what) throws DecodeException {
            skipSpace();
            long v = 0;
            int digits = 0;
            while (in.has(pos, 1) && Character.isDigit(in.u8(pos))) {
                v = v * 10 + (in.u8(pos) - '0');
                pos++;
                if (++digits > 9) {
                    throw new DecodeException("corrupt PNM: absurd " + what);
                }
            }
            if (digits == 0) {
                throw new DecodeException(in.has(pos, 1) ? "corrupt PNM: " + what + " is not a number"
                        : "truncated PNM: the file ends in its header");
            }
            return v;
        }

        void skipSpace() throws DecodeException {
            while (in.has(pos, 1)) {
                int c = in.u8(pos);
                if (c == '#') {
                    while (in.has(pos, 1) && in.u8(pos) != '\n' && in.u8(pos) != '\r') {
                        pos++;
                    }
                } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0B || c == 0x0C) {
                    pos++;
                } else {
                    return;
                }
            }
        }

        String line() throws DecodeException {
            long start = pos;
            while (in.has(pos, 1) && in.u8(pos) != '\n') {
                pos++;
                if (pos - start > 4096) {
                    throw new DecodeException("corrupt PAM: header line too long");
                }
            }
            String s = in.ascii(start, (int) (pos - start)).trim();
            if (in.has(pos, 1)) {
                pos++;
            }
            return s;
        }
    }

    static ImageHeader read(Bytes in) throws DecodeException {
        int kind = in.u8(1) - '0';
        if (kind == 7) {
            return pam(in);
        }
        Cursor c = new Cursor(in, 2);
        long w = c.number("width");
        long h = c.number("height");
        long maxval = kind == 1 || kind == 4 ? 1 : c.number("maxval");
        if (maxval < 1 || maxval > 65535) {
            throw new DecodeException("corrupt PNM: maxval " + maxval + " (1..65535)");
        }
        ImageHeader.Builder hdr = ImageHeader.of(ImageFormat.PNM, w, h);
        int channels = kind == 3 || kind == 6 ? 3 : 1;
        long dataStart = c.pos + 1; // exactly one whitespace byte ends the header
        long bytesPerSample = maxval > 255 ? 2 : 1;
        long needed;
        switch (kind) {
            case 4:
                needed = (w + 7) / 8 * h;
                break;
            case 5:
            case 6:
                needed = w * h * channels * bytesPerSample;
                break;
            default: // plain (ASCII): at least one byte per sample
                needed = w * h * channels;
        }
        if (dataStart + needed > in.length()) {
            throw new DecodeException("truncated PNM: " + w + "x" + h + " pixels need " + needed + " bytes, the file holds "
                    + Math.max(0, in.length() - dataStart));
        }
        // OpenCV's PxM decoder scales plain (ASCII) 8-bit samples to 0..255 but returns binary
        // and 16-bit samples as stored, so the largest decoded value is maxval for those.
        boolean scaledByDecoder = kind == 1 || kind == 4 || ((kind == 2 || kind == 3) && maxval <= 255);
        return hdr.channels(channels).bits(maxval > 255 ? 16 : 8).maxValue(scaledByDecoder ? 255 : (int) maxval).build();
    }

    private static ImageHeader pam(Bytes in) throws DecodeException {
        Cursor c = new Cursor(in, 2);
        c.line();
        long w = -1;
        long h = -1;
        long depth = -1;
        long maxval = -1;
        while (true) {
            if (!in.has(c.pos, 1)) {
                throw new DecodeException("truncated PAM: no ENDHDR line");
            }
            String line = c.line();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if ("ENDHDR".equals(line)) {
                break;
            }
            String[] kv = line.split("\\s+", 2);
            if (kv.length == 2 && kv[1].matches("\\d{1,9}")) {
                long v = Long.parseLong(kv[1]);
                switch (kv[0]) {
                    case "WIDTH":
                        w = v;
                        break;
                    case "HEIGHT":
                        h = v;
                        break;
                    case "DEPTH":
                        depth = v;
                        break;
                    case "MAXVAL":
                        maxval = v;
                        break;
                    default:
                }
            }
        }
        if (depth < 1 || depth > 4) {
            throw new DecodeException("PAM with depth " + depth + " is not supported (1..4)");
        }
        if (maxval < 1 || maxval > 65535) {
            throw new DecodeException("corrupt PAM: maxval " + maxval + " (1..65535)");
        }
        ImageHeader.Builder hdr = ImageHeader.of(ImageFormat.PNM, w, h);
        long needed = w * h * depth * (maxval > 255 ? 2 : 1);
        if (c.pos + needed > in.length()) {
            throw new DecodeException("truncated PAM: " + w + "x" + h + " pixels need " + needed + " bytes");
        }
        return hdr.channels((int) depth).bits(maxval > 255 ? 16 : 8).maxValue((int) maxval).build();
    }
}
