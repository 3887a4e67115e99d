package io.tilespark.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputsOtherStoreTest {

    @Test
    void outputInAnotherContainerOrStoreIsNotQualifiedWithTheInputsFileSystem(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("a.png"), new byte[] {1});
        Files.createDirectories(dir.resolve("sub"));
        Files.write(dir.resolve("sub/b.png"), new byte[] {2});
        FileSystem fs = rawLocal();
        org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(dir.toUri());
        // Qualifying this with the local file system would throw "Wrong FS".
        org.apache.hadoop.fs.Path elsewhere = new org.apache.hadoop.fs.Path("wasb://out@devstoreaccount1/run");
        List<InputFile> files = Inputs.list(fs, root, true, null, elsewhere);
        assertEquals(List.of("a.png", "sub/b.png"), files.stream().map(f -> f.relative).toList());
    }

    @Test
    void outputUnderTheInputOnTheSameStoreIsStillSkipped(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("a.png"), new byte[] {1});
        Files.createDirectories(dir.resolve("out"));
        Files.write(dir.resolve("out/a.png"), new byte[] {1});
        FileSystem fs = rawLocal();
        org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(dir.toUri());
        List<InputFile> files = Inputs.list(fs, root, true, null, new org.apache.hadoop.fs.Path(root, "out"));
        assertEquals(List.of("a.png"), files.stream().map(f -> f.relative).toList());
    }

    /** Built directly: the JVM-wide cached file: instance may be a test's own file system. */
    private static FileSystem rawLocal() throws java.io.IOException {
        FileSystem fs = new org.apache.hadoop.fs.RawLocalFileSystem();
        fs.initialize(java.net.URI.create("file:///"), new Configuration());
        return fs;
    }
}
