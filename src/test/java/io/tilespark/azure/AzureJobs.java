package io.tilespark.azure;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.hadoop.fs.FileSystem;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;

import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobListDetails;
import com.azure.storage.blob.models.ListBlobsOptions;

import io.tilespark.Main;
import io.tilespark.cv.OpenCv;
import io.tilespark.testing.TestImages;

/**
 * The pieces the Azure tests share: the Azure Blob SDK as an independent client to seed inputs and
 * read outputs back, a fixed set of awkwardly named test images, and an in-process run of the real
 * CLI that captures what it prints.
 */
final class AzureJobs {

    private AzureJobs() {
    }

    /** The SDK over the JDK's own HTTP client (no Netty next to Spark's). */
    static BlobServiceClient client(Azurite azurite) {
        return new BlobServiceClientBuilder().connectionString(azurite.connectionString())
                .httpClient(new JdkHttpClientBuilder().build()).buildClient();
    }

    static BlobContainerClient container(Azurite azurite, String name) {
        BlobContainerClient c = client(azurite).getBlobContainerClient(name);
        if (!c.exists()) {
            c.create();
        }
        return c;
    }

    /**
     * Relative path to encoded bytes: nested folders with no directory markers (the SDK writes
     * flat blob names), names with spaces and non-ASCII characters, PNG and JPEG, grey, colour
     * and alpha. Sizes are small but cross several 128-pixel tiles.
     */
    static Map<String, byte[]> images() {
        OpenCv.load();
        Map<String, byte[]> m = new TreeMap<>();
        m.put("top level.png", encode(".png", 301, 229, 3, 1));
        m.put("2024/summer/beach day.jpg", encode(".jpg", 400, 300, 3, 2));
        m.put("2024/Zürich – Straße.png", encode(".png", 257, 263, 4, 3));
        m.put("2024/summer/deep/er/grey scan.jpg", encode(".jpg", 350, 200, 1, 4));
        m.put("日本/東京 夜景.jpg", encode(".jpg", 333, 444, 3, 5));
        m.put("ünïcödé/ﬁle ½.png", encode(".png", 190, 170, 1, 6));
        return m;
    }

    static byte[] encode(String ext, int cols, int rows, int channels, long seed) {
        Mat img = TestImages.scene(rows, cols, channels, seed);
        MatOfByte buf = new MatOfByte();
        try {
            if (!Imgcodecs.imencode(ext, img, buf)) {
                throw new IllegalStateException("cannot encode " + ext);
            }
            return buf.toArray();
        } finally {
            img.release();
            buf.release();
        }
    }

    static void upload(BlobContainerClient c, String prefix, Map<String, byte[]> files) {
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            c.getBlobClient(prefix + e.getKey()).upload(BinaryData.fromBytes(e.getValue()), true);
        }
    }

    static void writeLocal(Path root, Map<String, byte[]> files) throws IOException {
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            Path p = root.resolve(e.getKey());
            Files.createDirectories(p.getParent());
            Files.write(p, e.getValue());
        }
    }

    /**
     * Every file blob under the prefix, by name relative to it. ABFS on a flat-namespace account
     * marks each folder it creates with an empty blob whose metadata says hdi_isfolder=true; those
     * are folders, not files, and are left out (see {@link #folderMarkers}).
     */
    static Map<String, byte[]> download(BlobContainerClient c, String prefix) {
        Map<String, byte[]> m = new TreeMap<>();
        for (BlobItem b : listWithMetadata(c)) {
            if (b.getName().startsWith(prefix) && !isFolderMarker(b)) {
                m.put(b.getName().substring(prefix.length()), c.getBlobClient(b.getName()).downloadContent().toBytes());
            }
        }
        return m;
    }

    /** Names of the file blobs (not folder markers) under the prefix, relative to it, without reading them. */
    static List<String> fileNames(BlobContainerClient c, String prefix) {
        List<String> names = new ArrayList<>();
        for (BlobItem b : listWithMetadata(c)) {
            if (b.getName().startsWith(prefix) && !isFolderMarker(b)) {
                names.add(b.getName().substring(prefix.length()));
            }
        }
        return names;
    }

    /** Names of ABFS's folder-marker blobs under the prefix, relative to it. */
    static List<String> folderMarkers(BlobContainerClient c, String prefix) {
        List<String> names = new ArrayList<>();
        for (BlobItem b : listWithMetadata(c)) {
            if (b.getName().startsWith(prefix) && isFolderMarker(b)) {
                names.add(b.getName().substring(prefix.length()));
            }
        }
        return names;
    }

    private static Iterable<BlobItem> listWithMetadata(BlobContainerClient c) {
        return c.listBlobs(new ListBlobsOptions().setDetails(new BlobListDetails().setRetrieveMetadata(true)), null);
    }

    private static boolean isFolderMarker(BlobItem b) {
        Map<String, String> md = b.getMetadata();
        return md != null && "true".equalsIgnoreCase(md.get("hdi_isfolder")) && b.getProperties().getContentLength() == 0;
    }

    static List<String> names(BlobContainerClient c) {
        List<String> names = new ArrayList<>();
        for (BlobItem b : c.listBlobs()) {
            names.add(b.getName());
        }
        Collections.sort(names);
        return names;
    }

    /** Every regular file under a local folder, by '/'-separated relative path. */
    static Map<String, byte[]> readLocal(Path root) throws IOException {
        Map<String, byte[]> m = new TreeMap<>();
        try (java.util.stream.Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
                m.put(root.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
            }
        }
        return m;
    }

    /** Drops the job's own bookkeeping (manifest, staging) so only images are compared. */
    static Map<String, byte[]> imagesOnly(Map<String, byte[]> files) {
        Map<String, byte[]> m = new TreeMap<>(files);
        m.keySet().removeIf(k -> k.startsWith("_tilespark/") || k.equals("_tilespark"));
        return m;
    }

    /** What a run of the CLI returned and printed. */
    static final class Run {
        final int exit;
        final String out;
        final String err;

        Run(int exit, String out, String err) {
            this.exit = exit;
            this.out = out;
            this.err = err;
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    /**
     * Runs the real CLI in this JVM with each setting passed as {@code --conf}, echoing and
     * capturing stdout and stderr. Hadoop caches one FileSystem per scheme and authority for the
     * whole JVM, which would carry one run's endpoint and key (or another test's checksumming
     * local file system) into the next: they are closed before and after every run, as a fresh
     * spark-submit would start clean.
     */
    static Run run(Map<String, String> conf, String... args) throws IOException {
        List<String> all = new ArrayList<>();
        for (Map.Entry<String, String> e : conf.entrySet()) {
            all.add("--conf");
            all.add(e.getKey() + "=" + e.getValue());
        }
        Collections.addAll(all, args);
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit;
        FileSystem.closeAll();
        try {
            System.setOut(new PrintStream(new Tee(out, oldOut), true, "UTF-8"));
            System.setErr(new PrintStream(new Tee(err, oldErr), true, "UTF-8"));
            exit = Main.run(all.toArray(new String[0]));
        } finally {
            System.out.flush();
            System.err.flush();
            System.setOut(oldOut);
            System.setErr(oldErr);
            FileSystem.closeAll();
        }
        return new Run(exit, new String(out.toByteArray(), StandardCharsets.UTF_8),
                new String(err.toByteArray(), StandardCharsets.UTF_8));
    }

    /** Lines the CLI itself printed ("tilespark: ..."), without Spark's log lines. */
    static List<String> cliLines(String text) {
        List<String> lines = new ArrayList<>();
        for (String l : text.split("\\R")) {
            if (l.startsWith("tilespark: ")) {
                lines.add(l);
            }
        }
        return lines;
    }

    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public synchronized void write(int x) throws IOException {
            a.write(x);
            b.write(x);
        }

        @Override
        public synchronized void write(byte[] buf, int off, int len) throws IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }

        @Override
        public void flush() throws IOException {
            a.flush();
            b.flush();
        }
    }
}
