package io.tilespark.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** An output path derived from an input path stays under the output root, whatever the name. */
class OutputPathsTest {

    private static final Path ROOT = new Path("file:/data/out/2026/11/27");
    private static final Path BLOB = new Path("abfss://images@acct.dfs.core.windows.net/out");

    @ParameterizedTest
    @ValueSource(strings = {"../x.jpg", "a/../../x.jpg", "/etc/passwd", "", "a//b.jpg", "./a.jpg", "a/./b.jpg",
        "a/..", "..", "a/", "/"})
    void segmentsThatClimbOrAreEmptyAreRefused(String rel) {
        assertThrows(IllegalArgumentException.class, () -> OutputPaths.outputRelative(rel, ImageFormat.PNG));
        assertThrows(IllegalArgumentException.class, () -> OutputLocation.resolve(ROOT, rel));
    }

    @ParameterizedTest
    @ValueSource(strings = {"file:/etc/x.jpg", "c:/x.jpg", "hdfs:/etc/x.jpg", "abfss:/other@acct/x.jpg", "a:b.jpg",
        "wasb:x.jpg"})
    void namesThatLookLikeUrisStayUnderTheRoot(String rel) {
        // A folder really named "file:" is legal on most stores; Hadoop would read it as a scheme.
        for (Path root : new Path[] {ROOT, BLOB}) {
            Path p = OutputLocation.resolve(root, rel);
            assertEquals(root.toUri().getScheme(), p.toUri().getScheme(), p.toString());
            assertEquals(root.toUri().getAuthority(), p.toUri().getAuthority(), p.toString());
            assertEquals(root.toUri().getPath() + "/" + rel, p.toUri().getPath());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"a b.jpg", "x#1.jpg", "100%.jpg", "p%20q.jpg", "v1.2.3.jpg", "a..b.jpg", "ünï/日本.jpg",
        "x?y.jpg", "dots.../x.jpg", "trailing.", "semi;colon.jpg", "plus+sign.jpg", "{braces}.jpg"})
    void ordinaryOddNamesKeepEveryCharacter(String rel) {
        Path p = OutputLocation.resolve(ROOT, rel);
        assertEquals("/data/out/2026/11/27/" + rel, p.toUri().getPath());
        // and survive a trip through the string form that the manifest stores
        assertEquals(p.toUri().getPath(), new Path(p.toString()).toUri().getPath());
    }

    @Test
    void extensionFollowsTheOutputFormat() {
        assertEquals("a/b.png", OutputPaths.outputRelative("a/b.jpg", ImageFormat.PNG));
        assertEquals("a/b.JPG", OutputPaths.outputRelative("a/b.JPG", ImageFormat.JPEG));
        assertEquals("v1.2.3.png", OutputPaths.outputRelative("v1.2.3.tif", ImageFormat.PNG));
        assertEquals("noext.png", OutputPaths.outputRelative("noext", ImageFormat.PNG));
        assertEquals("dir.d/noext.png", OutputPaths.outputRelative("dir.d/noext", ImageFormat.PNG));
        assertTrue(OutputPaths.outputRelative("trailing.", ImageFormat.PNG).endsWith(".png"));
    }
}
