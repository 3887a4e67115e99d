package io.tilespark.job;

import java.util.Map;

import org.apache.spark.api.plugin.DriverPlugin;
import org.apache.spark.api.plugin.ExecutorPlugin;
import org.apache.spark.api.plugin.PluginContext;
import org.apache.spark.api.plugin.SparkPlugin;

import io.tilespark.cv.OpenCv;

/**
 * A Spark plugin (spark.plugins, Spark 3.0+) that starts loading the OpenCV natives when an
 * executor starts, before its first task arrives, instead of inside that task: the load takes
 * seconds and would otherwise delay the first image on every executor. Standalone and Kubernetes
 * executors fetch --jars before they start plugins since Spark 3.0.1 (SPARK-32119), so the class
 * is found there too.
 */
public final class OpenCvPreload implements SparkPlugin {

    public static final String CONF = "spark.plugins";

    @Override
    public DriverPlugin driverPlugin() {
        return null;
    }

    @Override
    public ExecutorPlugin executorPlugin() {
        return new ExecutorPlugin() {
            @Override
            public void init(PluginContext ctx, Map<String, String> extraConf) {
                OpenCv.loadInBackground();
            }
        };
    }

    /** spark.plugins with this plugin added to whatever the user already lists. */
    public static String addTo(String plugins) {
        String me = OpenCvPreload.class.getName();
        if (plugins == null || plugins.trim().isEmpty()) {
            return me;
        }
        for (String p : plugins.split(",")) {
            if (p.trim().equals(me)) {
                return plugins;
            }
        }
        return plugins + "," + me;
    }
}
