package io.tilespark.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped jar, as built by this target: Java 8 class files, no Spark, Scala or Hadoop
 * classes (hadoop-azure only in the default target), and only linux-x86_64 natives. For the
 * openpnp build (HDInsight), the OpenCV library must load on glibc 2.27.
 */
class JarContentsIT {

    private static final Path JAR = Paths.get(System.getProperty("tilespark.jar", "target/tilespark-0.1.0-SNAPSHOT.jar"));
    private static final String TARGET = System.getProperty("tilespark.target", "spark4");
    private static final String OPENCV = System.getProperty("tilespark.opencv", "bytedeco");

    @TempDir
    Path tmp;

    @Test
    void projectClassesAreJava8ClassFiles() throws IOException {
        int checked = 0;
        try (ZipFile zip = new ZipFile(JAR.toFile())) {
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements();) {
                ZipEntry en = e.nextElement();
                if (en.getName().startsWith("io/tilespark/") && en.getName().endsWith(".class")) {
                    try (DataInputStream in = new DataInputStream(zip.getInputStream(en))) {
                        assertEquals(0xCAFEBABE, in.readInt());
                        in.readUnsignedShort();
                        assertEquals(52, in.readUnsignedShort(), en.getName() + " is not a Java 8 class file");
                    }
                    checked++;
                }
            }
        }
        assertTrue(checked > 30, "only " + checked + " project classes in " + JAR);
        assertTrue(zipHas("io/tilespark/Main.class"));
    }

    @Test
    void jarCarriesNoSparkScalaOrHadoopCore() throws IOException {
        List<String> bad = new ArrayList<>();
        boolean sawAzure = false;
        try (ZipFile zip = new ZipFile(JAR.toFile())) {
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements();) {
                String n = e.nextElement().getName();
                if (n.endsWith("/")) {
                    continue;
                }
                if (n.startsWith("org/apache/spark/") || n.startsWith("scala/") || n.startsWith("org/sparkproject/")) {
                    bad.add(n);
                } else if (n.startsWith("org/apache/hadoop/")) {
                    boolean azure = n.startsWith("org/apache/hadoop/fs/azure/") || n.startsWith("org/apache/hadoop/fs/azurebfs/");
                    sawAzure |= azure;
                    if (!azure || "hdinsight".equals(TARGET)) {
                        bad.add(n);
                    }
                }
            }
        }
        assertEquals(new ArrayList<String>(), bad.subList(0, Math.min(10, bad.size())));
        assertEquals(!"hdinsight".equals(TARGET), sawAzure, "hadoop-azure is bundled in the default jar only");
    }

    @Test
    void onlyLinuxX8664NativesAreShipped() throws IOException {
        TreeSet<String> natives = new TreeSet<>();
        try (ZipFile zip = new ZipFile(JAR.toFile())) {
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements();) {
                String n = e.nextElement().getName();
                if (n.endsWith(".so") || n.contains(".so.") || n.endsWith(".dll") || n.endsWith(".dylib") || n.endsWith(".jnilib")) {
                    natives.add(n);
                }
            }
        }
        assertTrue(!natives.isEmpty(), "no natives in the jar");
        for (String n : natives) {
            assertTrue(n.contains("linux-x86_64/") || n.contains("linux/x86_64/"), "foreign native " + n);
        }
    }

    @Test
    void openpnpNativesNeedAtMostGlibc227() throws Exception {
        if (!"openpnp".equals(OPENCV)) {
            assertEquals("bytedeco", OPENCV, "unknown OpenCV build " + OPENCV);
            return;
        }
        Path so = tmp.resolve("opencv.so");
        try (ZipFile zip = new ZipFile(JAR.toFile())) {
            ZipEntry en = null;
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements();) {
                ZipEntry c = e.nextElement();
                if (c.getName().startsWith("nu/pattern/opencv/linux/x86_64/") && c.getName().endsWith(".so")) {
                    en = c;
                }
            }
            assertTrue(en != null, "no linux x86_64 OpenCV library in the jar");
            try (InputStream in = zip.getInputStream(en)) {
                Files.copy(in, so);
            }
        }
        Process p = new ProcessBuilder("objdump", "-T", so.toString()).redirectErrorStream(true).start();
        String dump = new String(readAll(p.getInputStream()), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), dump);
        Matcher m = Pattern.compile("GLIBC_(\\d+)\\.(\\d+)").matcher(dump);
        int maxMinor = -1;
        while (m.find()) {
            assertEquals("2", m.group(1));
            maxMinor = Math.max(maxMinor, Integer.parseInt(m.group(2)));
        }
        assertTrue(maxMinor >= 2, "no GLIBC symbol versions found; is this an ELF library?");
        assertTrue(maxMinor <= 27, "needs GLIBC_2." + maxMinor + ", HDInsight 5.1 has 2.27");
        Matcher cxx = Pattern.compile("GLIBCXX_3\\.4\\.(\\d+)").matcher(dump);
        while (cxx.find()) {
            assertTrue(Integer.parseInt(cxx.group(1)) <= 25, "needs GLIBCXX_3.4." + cxx.group(1) + ", HDInsight 5.1 has 3.4.25");
        }
    }

    private boolean zipHas(String name) throws IOException {
        try (ZipFile zip = new ZipFile(JAR.toFile())) {
            return zip.getEntry(name) != null;
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] b = new byte[8192];
        int n;
        while ((n = in.read(b)) > 0) {
            out.write(b, 0, n);
        }
        return out.toByteArray();
    }
}
