package io.tilespark.job;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.PathMatcher;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * Lists the inputs on the driver through Hadoop's FileSystem API, so any store with a Hadoop
 * connector works (file:, abfs(s):, wasb(s):, hdfs:). Names starting with '.' or '_' are hidden,
 * as in Hadoop and Spark, and the job's own output is never read back as input.
 */
public final class Inputs {

    private Inputs() {
    }

    public static List<InputFile> list(FileSystem fs, Path root, boolean recursive, String glob, Path outputRoot)
            throws IOException {
        FileStatus top = fs.getFileStatus(root);
        Path qualifiedRoot = top.getPath();
        List<FileStatus> found = new ArrayList<>();
        if (top.isFile()) {
            found.add(top);
        } else {
            // Only an output on the same store can hide among the inputs; qualifying another
            // store's path with this file system fails ("Wrong FS") on WASB.
            String out = outputRoot == null || !sameStore(qualifiedRoot, outputRoot) ? null
                    : fs.makeQualified(outputRoot).toUri().getPath();
            RemoteIterator<LocatedFileStatus> it = fs.listFiles(qualifiedRoot, recursive);
            while (it.hasNext()) {
                LocatedFileStatus st = it.next();
                String p = st.getPath().toUri().getPath();
                if (out != null && (p.equals(out) || p.startsWith(out.endsWith("/") ? out : out + "/"))) {
                    continue;
                }
                found.add(st);
            }
        }
        PathMatcher matcher = glob == null || glob.isEmpty() ? null
                : FileSystems.getDefault().getPathMatcher("glob:" + glob);
        String rootPath = qualifiedRoot.toUri().getPath();
        List<String[]> rows = new ArrayList<>();
        for (FileStatus st : found) {
            String rel = top.isFile() ? st.getPath().getName() : relativize(rootPath, st.getPath().toUri().getPath());
            if (hidden(rel)) {
                continue;
            }
            if (matcher != null) {
                String subject = glob.contains("/") ? rel : st.getPath().getName();
                if (!matcher.matches(Paths.get(subject))) {
                    continue;
                }
            }
            rows.add(new String[] {st.getPath().toString(), rel, Long.toString(st.getLen()),
                Long.toString(st.getModificationTime())});
        }
        rows.sort(Comparator.comparing((String[] r) -> r[1]));
        List<InputFile> files = new ArrayList<>(rows.size());
        for (String[] r : rows) {
            files.add(new InputFile(files.size(), r[0], r[1], Long.parseLong(r[2]), Long.parseLong(r[3])));
        }
        return Collections.unmodifiableList(files);
    }

    static boolean sameStore(Path a, Path b) {
        java.net.URI x = a.toUri();
        java.net.URI y = b.toUri();
        return y.getScheme() == null
                || (y.getScheme().equalsIgnoreCase(String.valueOf(x.getScheme()))
                    && String.valueOf(y.getAuthority()).equalsIgnoreCase(String.valueOf(x.getAuthority())));
    }

    static String relativize(String root, String path) {
        String base = root.endsWith("/") ? root : root + "/";
        if (!path.startsWith(base)) {
            throw new IllegalStateException(path + " is not under " + root);
        }
        return path.substring(base.length());
    }

    static boolean hidden(String relative) {
        for (String seg : relative.split("/")) {
            if (seg.startsWith(".") || seg.startsWith("_")) {
                return true;
            }
        }
        return false;
    }
}
