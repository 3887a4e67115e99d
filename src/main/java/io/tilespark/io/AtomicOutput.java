package io.tilespark.io;

import java.io.IOException;
import java.util.UUID;

import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Writes an output so that readers only ever see a complete file: bytes go to a unique name in a
 * staging folder under {@code _tilespark/}, then one rename publishes them. A retried or
 * speculative task writes its own staging file; whichever rename lands last wins, and since the
 * bytes are deterministic both are the same.
 */
public final class AtomicOutput {

    /** Staging lives under the output root so that the rename stays within one file system. */
    public static final String STAGING = "_tilespark/_staging";

    private AtomicOutput() {
    }

    public static Path stagingDir(Path outputRoot, String runId) {
        return new Path(new Path(outputRoot, STAGING), runId);
    }

    public static void write(FileSystem fs, Path stagingDir, Path dest, byte[] bytes) throws IOException {
        // No Hadoop .crc side file next to every image on file: outputs. (Swapping in the raw local
        // file system for all of file: instead would break FileSystem.getLocal() elsewhere in the JVM.)
        fs.setWriteChecksum(false);
        Path tmp = new Path(stagingDir, UUID.randomUUID() + ".part");
        boolean published = false;
        try {
            try (FSDataOutputStream out = fs.create(tmp, true)) {
                out.write(bytes);
            }
            Path parent = dest.getParent();
            if (parent != null && !fs.exists(parent)) {
                fs.mkdirs(parent);
            }
            if (!fs.rename(tmp, dest)) {
                // Some stores refuse to rename onto an existing file: an earlier run's output,
                // or a speculative twin's. Replace it; the content is the same either way.
                fs.delete(dest, false);
                if (!fs.rename(tmp, dest)) {
                    throw new IOException("cannot publish " + dest);
                }
            }
            published = true;
        } finally {
            if (!published) {
                fs.delete(tmp, false);
            }
        }
    }
}
