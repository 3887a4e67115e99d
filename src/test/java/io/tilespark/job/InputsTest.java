package io.tilespark.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.FileNotFoundException;
import java.nio.file.Files;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputsTest {

    @TempDir
    java.nio.file.Path tmp;
    FileSystem fs;

    @BeforeEach
    void tree() throws Exception {
        // Not FileSystem.getLocal(): its cached instance may be the RawLocalFileSystem that a Spark
        // run in this JVM installed for file:, and getLocal would fail to cast it.
        fs = new org.apache.hadoop.fs.RawLocalFileSystem();
        fs.initialize(java.net.URI.create("file:///"), new Configuration());
        for (String f : Arrays.asList("b.jpg", "a.png", "notes.txt", ".hidden.jpg", "_SUCCESS",
                "sub/c.jpg", "sub/deeper/d.JPG", "_tilespark/manifest/part.json", "out/x.jpg")) {
            java.nio.file.Path p = tmp.resolve(f);
            Files.createDirectories(p.getParent());
            Files.write(p, f.getBytes("UTF-8"));
        }
    }

    private List<String> list(String root, boolean recursive, String glob, String out) throws Exception {
        return Inputs.list(fs, new Path(tmp.resolve(root).toUri()), recursive, glob,
                out == null ? null : new Path(tmp.resolve(out).toUri()))
                .stream().map(f -> f.relative).collect(Collectors.toList());
    }

    @Test
    void topLevelOnlyByDefaultSortedWithoutHiddenFiles() throws Exception {
        assertEquals(Arrays.asList("a.png", "b.jpg", "notes.txt"), list(".", false, null, "out"));
    }

    @Test
    void recursiveDescendsButSkipsHiddenFoldersAndTheOutputRoot() throws Exception {
        assertEquals(Arrays.asList("a.png", "b.jpg", "notes.txt", "sub/c.jpg", "sub/deeper/d.JPG"),
                list(".", true, null, "out"));
    }

    @Test
    void globMatchesNamesOrRelativePaths() throws Exception {
        assertEquals(Arrays.asList("b.jpg", "sub/c.jpg"), list(".", true, "*.jpg", "out"));
        assertEquals(Arrays.asList("sub/deeper/d.JPG"), list(".", true, "sub/deeper/*", "out"));
        assertEquals(Arrays.asList("b.jpg", "sub/c.jpg", "sub/deeper/d.JPG"), list(".", true, "*.{jpg,JPG}", "out"));
    }

    @Test
    void singleFileInputIsItsOwnListing() throws Exception {
        List<InputFile> one = Inputs.list(fs, new Path(tmp.resolve("sub/c.jpg").toUri()), false, null, null);
        assertEquals(1, one.size());
        assertEquals("c.jpg", one.get(0).relative);
        assertEquals(Files.size(tmp.resolve("sub/c.jpg")), one.get(0).size);
    }

    @Test
    void idsFollowTheSortedOrder() throws Exception {
        List<InputFile> files = Inputs.list(fs, new Path(tmp.toUri()), true, null, null);
        for (int i = 0; i < files.size(); i++) {
            assertEquals(i, files.get(i).id);
        }
    }

    @Test
    void missingInputIsFileNotFound() {
        assertThrows(FileNotFoundException.class,
                () -> Inputs.list(fs, new Path(tmp.resolve("nope").toUri()), false, null, null));
    }
}
