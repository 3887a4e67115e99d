package io.tilespark.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.FileNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.fs.permission.FsPermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The process-free local file system must look exactly like Hadoop's own raw local one: same
 * statuses (length, kind, permission, owner, group) for the same files, and the same permissions
 * on what it creates.
 */
class NioLocalFileSystemTest {

    @TempDir
    Path tmp;

    private static <T extends RawLocalFileSystem> T open(T fs) throws Exception {
        fs.initialize(java.net.URI.create("file:///"), new Configuration(false));
        return fs;
    }

    @Test
    void listedStatusesEqualHadoopsRawLocalOnes() throws Exception {
        RawLocalFileSystem raw = open(new RawLocalFileSystem());
        NioLocalFileSystem nio = open(new NioLocalFileSystem());
        Files.createDirectories(tmp.resolve("a/b"));
        Files.write(tmp.resolve("a/one.jpg"), new byte[] {1, 2, 3});
        Files.write(tmp.resolve("a/b/two.png"), new byte[7]);
        raw.setPermission(new org.apache.hadoop.fs.Path(tmp.resolve("a/b/two.png").toUri()), new FsPermission((short) 0640));

        List<LocatedFileStatus> expected = all(raw.listFiles(new org.apache.hadoop.fs.Path(tmp.toUri()), true));
        List<LocatedFileStatus> actual = all(nio.listFiles(new org.apache.hadoop.fs.Path(tmp.toUri()), true));
        assertEquals(2, expected.size());
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            same(expected.get(i), actual.get(i));
        }
        org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(tmp.resolve("a").toUri());
        same(raw.getFileStatus(dir), nio.getFileStatus(dir));
        assertEquals(new FsPermission((short) 0640),
                nio.getFileStatus(new org.apache.hadoop.fs.Path(tmp.resolve("a/b/two.png").toUri())).getPermission());
    }

    @Test
    void createdFilesAndFoldersGetTheSamePermissionsAsWithRawLocal() throws Exception {
        RawLocalFileSystem raw = open(new RawLocalFileSystem());
        NioLocalFileSystem nio = open(new NioLocalFileSystem());
        for (RawLocalFileSystem fs : new RawLocalFileSystem[] {raw, nio}) {
            String name = fs == raw ? "raw" : "nio";
            org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(tmp.resolve(name + "/x/y").toUri());
            fs.mkdirs(dir, new FsPermission((short) 0750));
            try (FSDataOutputStream out = fs.create(new org.apache.hadoop.fs.Path(dir, "f.bin"), true)) {
                out.write(42);
            }
        }
        org.apache.hadoop.fs.Path rawDir = new org.apache.hadoop.fs.Path(tmp.resolve("raw/x/y").toUri());
        org.apache.hadoop.fs.Path nioDir = new org.apache.hadoop.fs.Path(tmp.resolve("nio/x/y").toUri());
        assertEquals(raw.getFileStatus(rawDir).getPermission(), raw.getFileStatus(nioDir).getPermission());
        assertEquals(raw.getFileStatus(new org.apache.hadoop.fs.Path(rawDir, "f.bin")).getPermission(),
                raw.getFileStatus(new org.apache.hadoop.fs.Path(nioDir, "f.bin")).getPermission());
    }

    @Test
    void aMissingPathIsFileNotFound() throws Exception {
        NioLocalFileSystem nio = open(new NioLocalFileSystem());
        assertThrows(FileNotFoundException.class,
                () -> nio.getFileStatus(new org.apache.hadoop.fs.Path(tmp.resolve("nope").toUri())));
    }

    private static List<LocatedFileStatus> all(RemoteIterator<LocatedFileStatus> it) throws Exception {
        List<LocatedFileStatus> out = new ArrayList<>();
        while (it.hasNext()) {
            out.add(it.next());
        }
        out.sort((a, b) -> a.getPath().compareTo(b.getPath()));
        return out;
    }

    private static void same(FileStatus want, FileStatus got) {
        assertEquals(want.getPath(), got.getPath());
        assertEquals(want.getLen(), got.getLen(), want.getPath().toString());
        assertEquals(want.isDirectory(), got.isDirectory(), want.getPath().toString());
        assertEquals(want.getPermission(), got.getPermission(), want.getPath().toString());
        assertEquals(want.getOwner(), got.getOwner(), want.getPath().toString());
        assertEquals(want.getGroup(), got.getGroup(), want.getPath().toString());
        assertEquals(want.getModificationTime(), got.getModificationTime(), want.getPath().toString());
    }
}
