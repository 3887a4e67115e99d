package io.tilespark.job;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * One task's part of one input. An image that is spread over several task slots is given to
 * {@code count} tasks at once: each reads and decodes it, and cuts and processes only the tiles
 * whose index is {@code index} modulo {@code count}. Decoding is repeated, but in parallel, where
 * one task decoding and cutting every tile for the others would be a serial step, and the tiles
 * then cross no shuffle on their way in. Every other input is a single share.
 */
final class Share implements Serializable {
    private static final long serialVersionUID = 1L;

    final InputFile file;
    final int index;
    final int count;

    Share(InputFile file, int index, int count) {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException("share " + index + " of " + count);
        }
        this.file = file;
        this.index = index;
        this.count = count;
    }

    /** Whether tile {@code tile} of the image is this share's to process. */
    boolean owns(int tile) {
        return tile % count == index;
    }

    /** How many of an image's {@code tiles} tiles are this share's. */
    int tilesOf(int tiles) {
        return index < tiles ? (tiles - index + count - 1) / count : 0;
    }

    /** File {@code i} split into {@code counts[i]} shares, the shares of one image side by side. */
    static List<Share> of(List<InputFile> files, int[] counts) {
        List<Share> out = new ArrayList<>(files.size());
        for (int i = 0; i < files.size(); i++) {
            for (int s = 0; s < counts[i]; s++) {
                out.add(new Share(files.get(i), s, counts[i]));
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return count == 1 ? file.toString() : file + " (share " + (index + 1) + " of " + count + ")";
    }
}
