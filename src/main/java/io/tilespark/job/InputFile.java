package io.tilespark.job;

import java.io.Serializable;

/** One listed input: where it is, where it sits under the input root, and the facts used to skip it. */
public final class InputFile implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Position in the sorted listing; the image's key through the job. */
    public final long id;
    /** Full URI of the input. */
    public final String uri;
    /** Path relative to the input root, '/'-separated. */
    public final String relative;
    public final long size;
    public final long mtime;

    public InputFile(long id, String uri, String relative, long size, long mtime) {
        this.id = id;
        this.uri = uri;
        this.relative = relative;
        this.size = size;
        this.mtime = mtime;
    }

    @Override
    public String toString() {
        return relative;
    }
}
