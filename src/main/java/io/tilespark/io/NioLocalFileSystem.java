package io.tilespark.io;

import java.io.File;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsAction;
import org.apache.hadoop.fs.permission.FsPermission;

/**
 * Hadoop's raw local file system (no .crc side files), minus one process per file.
 *
 * <p>Without Hadoop's native library (Spark's Maven jars have none), {@link RawLocalFileSystem}
 * runs {@code chmod} after creating every file or folder and {@code ls -ld} for the permissions
 * of every listed file. Measured on the benchmark machine: 8 to 14 ms per created file and 8 ms
 * per listed file, against 0.2 ms with java.nio; the job creates at least one file per image and
 * lists every input on the driver before the first task starts. Here permissions are set and
 * read through java.nio instead, which needs no process. Everything else is the parent's.
 *
 * <p>Used for {@code file:} URIs when the job sets {@code fs.file.impl} (see Main). Where the
 * platform has no POSIX attributes (or for a sticky bit) it falls back to the parent's way.
 */
public class NioLocalFileSystem extends RawLocalFileSystem {

    @Override
    public void setPermission(Path p, FsPermission permission) throws IOException {
        if (permission.getStickyBit()) {
            super.setPermission(p, permission);
            return;
        }
        try {
            Files.setPosixFilePermissions(pathToFile(p).toPath(), toPosix(permission));
        } catch (UnsupportedOperationException e) {
            super.setPermission(p, permission);
        }
    }

    @Override
    public FileStatus getFileStatus(Path f) throws IOException {
        return withPermissions(super.getFileStatus(f));
    }

    @Override
    public FileStatus[] listStatus(Path f) throws IOException {
        FileStatus[] found = super.listStatus(f);
        for (int i = 0; i < found.length; i++) {
            found[i] = withPermissions(found[i]);
        }
        return found;
    }

    /**
     * The parent's status with owner, group and permission read now through java.nio. The
     * parent's own status object would run {@code ls -ld} the first time any of them is asked for
     * (LocatedFileStatus asks at once, so every file listed by listFiles did).
     */
    private FileStatus withPermissions(FileStatus st) throws IOException {
        if (st == null || st.isSymlink()) {
            return st;
        }
        File file = pathToFile(st.getPath());
        PosixFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file.toPath(), PosixFileAttributes.class);
        } catch (UnsupportedOperationException e) {
            return st;
        } catch (NoSuchFileException e) {
            throw new FileNotFoundException(file + " does not exist");
        }
        return new FileStatus(st.getLen(), st.isDirectory(), st.getReplication(), st.getBlockSize(),
                st.getModificationTime(), st.getAccessTime(), fromPosix(attrs.permissions()),
                attrs.owner().getName(), attrs.group().getName(), st.getPath());
    }

    static Set<PosixFilePermission> toPosix(FsPermission p) {
        Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
        add(s, p.getUserAction(), PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_EXECUTE);
        add(s, p.getGroupAction(), PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
                PosixFilePermission.GROUP_EXECUTE);
        add(s, p.getOtherAction(), PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE,
                PosixFilePermission.OTHERS_EXECUTE);
        return s;
    }

    private static void add(Set<PosixFilePermission> s, FsAction a, PosixFilePermission r, PosixFilePermission w,
                            PosixFilePermission x) {
        if (a.implies(FsAction.READ)) {
            s.add(r);
        }
        if (a.implies(FsAction.WRITE)) {
            s.add(w);
        }
        if (a.implies(FsAction.EXECUTE)) {
            s.add(x);
        }
    }

    static FsPermission fromPosix(Set<PosixFilePermission> s) {
        return new FsPermission(
                action(s, PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE),
                action(s, PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE),
                action(s, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE));
    }

    private static FsAction action(Set<PosixFilePermission> s, PosixFilePermission r, PosixFilePermission w,
                                   PosixFilePermission x) {
        FsAction a = FsAction.NONE;
        if (s.contains(r)) {
            a = a.or(FsAction.READ);
        }
        if (s.contains(w)) {
            a = a.or(FsAction.WRITE);
        }
        if (s.contains(x)) {
            a = a.or(FsAction.EXECUTE);
        }
        return a;
    }
}
