package io.tilespark.job;

/** How a run ended, in the terms of the exit code. */
public final class RunResult {
    public final long total;
    public final long ok;
    public final long failed;
    public final long skipped;
    public final String manifest;

    public static RunResult of(long total, long ok, long failed, long skipped, String manifest) {
        return new RunResult(total, ok, failed, skipped, manifest);
    }

    private RunResult(long total, long ok, long failed, long skipped, String manifest) {
        this.total = total;
        this.ok = ok;
        this.failed = failed;
        this.skipped = skipped;
        this.manifest = manifest;
    }

    /** 0 when every image is ok or skipped, 3 when some failed (the job itself succeeded). */
    public int exitCode() {
        return failed > 0 ? 3 : 0;
    }

    @Override
    public String toString() {
        return total + " images: " + ok + " ok, " + failed + " failed, " + skipped + " skipped";
    }
}
