package io.tilespark.io;

import org.apache.hadoop.fs.Path;

/**
 * Turns an output path relative to the output root into a Hadoop {@link Path} that is provably
 * under that root. Hadoop parses a string child as a URI, so {@code new Path(root, "file:/etc/x")}
 * (an input folder really named "file:") would resolve to /etc/x, outside the root, and a name
 * like "a:b.jpg" would not parse at all. The child is therefore appended to the root's own path
 * text, and the result is checked to still lie inside the root.
 */
public final class OutputLocation {

    private OutputLocation() {
    }

    public static Path resolve(Path root, String relative) {
        String rel = OutputPaths.checkRelative(relative);
        String base = root.toString();
        Path p = new Path(base.endsWith("/") ? base + rel : base + "/" + rel);
        String rootPath = root.toUri().getPath();
        String prefix = rootPath.endsWith("/") ? rootPath : rootPath + "/";
        boolean sameStore = same(root.toUri().getScheme(), p.toUri().getScheme())
                && same(root.toUri().getAuthority(), p.toUri().getAuthority());
        if (!sameStore || !p.toUri().getPath().startsWith(prefix)) {
            throw new IllegalArgumentException("output path '" + relative + "' would leave the output root " + root);
        }
        return p;
    }

    private static boolean same(String a, String b) {
        return a == null ? b == null : a.equals(b);
    }
}
