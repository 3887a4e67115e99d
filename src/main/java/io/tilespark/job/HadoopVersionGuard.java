package io.tilespark.job;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.hadoop.util.VersionInfo;

import io.tilespark.cv.OpenCv;

/**
 * Refuses to start when this jar bundles hadoop-azure for another Hadoop release than the one
 * Spark runs on. The connector is built against hadoop-common's internals: hadoop-azure 3.4.2 on
 * hadoop-common 3.3.4 fails deep inside the first storage call with
 * {@code NoClassDefFoundError: org/apache/hadoop/fs/impl/BackReference} (see
 * ../shared/PLATFORM.md). The HDInsight build does not bundle it and is never refused.
 */
public final class HadoopVersionGuard {

    private static final Pattern RELEASE = Pattern.compile("^(\\d+)\\.(\\d+)\\.(\\d+)");

    private HadoopVersionGuard() {
    }

    /** Throws with a one-line explanation when the bundled connector does not match the running Hadoop. */
    public static void check() {
        String problem = problem(OpenCv.buildProperty("hadoopAzureScope"), OpenCv.buildProperty("hadoop"),
                VersionInfo.getVersion());
        if (problem != null) {
            throw new IllegalStateException(problem);
        }
    }

    /**
     * @param azureScope the Maven scope hadoop-azure had in the build: "compile" means it is in this jar
     * @param bundled    the Hadoop release the jar was built for (and its hadoop-azure's version)
     * @param running    the running hadoop-common's version
     * @return why the run cannot work, or null when it can
     */
    static String problem(String azureScope, String bundled, String running) {
        if (!"compile".equals(azureScope)) {
            return null;
        }
        String want = release(bundled);
        String have = release(running);
        if (want == null || have == null || want.equals(have)) {
            return null;
        }
        return "this tilespark jar bundles hadoop-azure " + bundled + " but Spark runs on Hadoop " + running
                + "; the two cannot be mixed (it would fail later with NoClassDefFoundError). Use a Spark built on "
                + "Hadoop " + want + ", or build the jar for this cluster (HDInsight 5.1, Hadoop 3.3: mvn -Phdinsight package)";
    }

    /** "3.4.2" from "3.4.2", "3.4.2-SNAPSHOT" or a vendor's "3.4.2.5.1.0-123"; null if there is no such prefix. */
    static String release(String version) {
        if (version == null) {
            return null;
        }
        Matcher m = RELEASE.matcher(version.trim());
        return m.find() ? m.group(1) + "." + m.group(2) + "." + m.group(3) : null;
    }
}
