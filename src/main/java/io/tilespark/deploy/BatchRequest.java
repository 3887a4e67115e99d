package io.tilespark.deploy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The body of Livy's {@code POST /batches}: which jar, which class, its arguments, Spark settings
 * and a name.
 *
 * <p>Field names follow Livy's REST API (batch request: file, className, args, conf, name; the
 * same list is in shared/PLATFORM.md for HDInsight 5.1). Executor sizing goes through
 * {@code conf} rather than Livy's top-level executorMemory/executorCores, so that one map is the
 * whole truth and the SSH path can pass the very same pairs to spark-submit.
 */
public final class BatchRequest {

    private final String file;
    private final String className;
    private final List<String> args;
    private final Map<String, String> conf;
    private final String name;

    private BatchRequest(String file, String className, List<String> args, Map<String, String> conf, String name) {
        this.file = file;
        this.className = className;
        this.args = Collections.unmodifiableList(new ArrayList<>(args));
        this.conf = Collections.unmodifiableMap(new LinkedHashMap<>(conf));
        this.name = name;
    }

    /**
     * A request for the jar at {@code file}, which must already be in storage the cluster can
     * read (Livy does not upload anything).
     */
    public static BatchRequest of(String file, String className, List<String> args, Map<String, String> conf,
            String name) {
        requireText(file, "file (the jar's abfs:// or wasbs:// URI)");
        requireText(className, "className");
        requireText(name, "name");
        if (args == null || conf == null) {
            throw new IllegalArgumentException("args and conf must not be null (use empty ones)");
        }
        for (Map.Entry<String, String> e : conf.entrySet()) {
            requireText(e.getKey(), "conf key");
            if (e.getValue() == null) {
                throw new IllegalArgumentException("conf " + e.getKey() + " has no value");
            }
        }
        return new BatchRequest(file, className, args, conf, name);
    }

    private static void requireText(String s, String what) {
        if (s == null || s.trim().isEmpty()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
    }

    public String file() {
        return file;
    }

    public String className() {
        return className;
    }

    public List<String> args() {
        return args;
    }

    public Map<String, String> conf() {
        return conf;
    }

    public String name() {
        return name;
    }

    /** The JSON Livy expects. */
    public String toJson() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("file", file);
        body.put("className", className);
        body.put("args", new ArrayList<Object>(args));
        body.put("conf", new LinkedHashMap<String, Object>(conf));
        body.put("name", name);
        return Json.write(body);
    }
}
