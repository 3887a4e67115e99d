package io.tilespark.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.spark.SparkConf;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.sql.SparkSession;

/**
 * A Spark "local-cluster": a master and workers inside the test JVM, with each executor in its own
 * JVM, so an executor can die without taking the test with it, and its death is seen by the
 * scheduler as it would be on a real cluster. Needs SPARK_HOME pointing at the build's Spark jars
 * (target/spark-home; surefire sets it) and SPARK_SCALA_VERSION (PLATFORM.md).
 */
public final class LocalCluster implements AutoCloseable {

    public final SparkSession spark;
    private final AtomicInteger removed = new AtomicInteger();

    private LocalCluster(SparkSession spark) {
        this.spark = spark;
        spark.sparkContext().addSparkListener(new SparkListener() {
            @Override
            public void onExecutorRemoved(SparkListenerExecutorRemoved e) {
                removed.incrementAndGet();
            }
        });
    }

    /** {@code workers} executors of one core and {@code memoryMb} each; {@code executorEnv} reaches their environment. */
    public static LocalCluster start(int workers, int memoryMb, Map<String, String> executorEnv) {
        String home = System.getenv("SPARK_HOME");
        if (home == null || !Files.isDirectory(Paths.get(home, "jars"))) {
            throw new IllegalStateException("SPARK_HOME must point at a folder with Spark's jars/ (target/spark-home), got "
                    + home);
        }
        SparkConf conf = new SparkConf()
                .setMaster("local-cluster[" + workers + ",1," + memoryMb + "]")
                .setAppName("tilespark test cluster")
                .set("spark.executor.extraClassPath", System.getProperty("java.class.path"))
                .set("spark.hadoop.fs.file.impl", "org.apache.hadoop.fs.RawLocalFileSystem")
                .set("spark.ui.enabled", "false");
        for (Map.Entry<String, String> e : executorEnv.entrySet()) {
            conf.setExecutorEnv(e.getKey(), e.getValue());
        }
        return new LocalCluster(SparkSession.builder().config(conf).getOrCreate());
    }

    /** Executors the scheduler has lost so far (each death counts once). */
    public int executorsRemoved() {
        return removed.get();
    }

    public static Path sparkHome() {
        return Paths.get(System.getenv("SPARK_HOME"));
    }

    @Override
    public void close() {
        spark.stop();
    }
}
