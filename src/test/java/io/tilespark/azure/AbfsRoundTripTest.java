package io.tilespark.azure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.common.sas.AccountSasPermission;
import com.azure.storage.common.sas.AccountSasResourceType;
import com.azure.storage.common.sas.AccountSasService;
import com.azure.storage.common.sas.AccountSasSignatureValues;

import io.tilespark.cv.OpenCv;
import io.tilespark.testing.TestImages;

/**
 * The whole job from abfs:// to abfs:// against a real Azurite, seeded and read back with the
 * Azure Blob SDK, compared with the same job on local files.
 */
@DisabledIfSystemProperty(named = "tilespark.target", matches = "hdinsight",
        disabledReason = "Hadoop 3.3.4's ABFS speaks only the DFS endpoint, which Azurite lacks: WasbEmulatorTest covers that target")
class AbfsRoundTripTest {

    @RegisterExtension
    static final Azurite AZURITE = Azurite.onFreePort();

    static final String OPS = "grey,blur:5,sharpen";

    static Map<String, byte[]> inputs;
    static Map<String, byte[]> localOutputs;

    @BeforeAll
    static void seedAndRunLocally(@TempDir Path tmp) throws Exception {
        inputs = AzureJobs.images();
        BlobContainerClient in = AzureJobs.container(AZURITE, "inbox");
        AzureJobs.upload(in, "photos/", inputs);

        Path localIn = tmp.resolve("in");
        Path localOut = tmp.resolve("out");
        AzureJobs.writeLocal(localIn, inputs);
        AzureJobs.Run local = AzureJobs.run(new TreeMap<>(), "--input", localIn.toUri().toString(),
                "--output", localOut.toUri().toString(), "--ops", OPS, "--tile", "128", "--recursive",
                "--master", "local[2]");
        assertEquals(0, local.exit, local.toString());
        localOutputs = AzureJobs.imagesOnly(AzureJobs.readLocal(localOut));
        assertEquals(inputs.keySet(), localOutputs.keySet(), "the local run wrote one output per input");
    }

    @Test
    void seededBlobsHaveNoDirectoryMarkers() {
        List<String> expected = new ArrayList<>();
        for (String k : inputs.keySet()) {
            expected.add("photos/" + k);
        }
        assertEquals(new TreeSet<>(expected), new TreeSet<>(AzureJobs.names(AzureJobs.container(AZURITE, "inbox"))),
                "the input container holds exactly the uploaded blobs, no folder placeholders");
    }

    @Test
    void abfsInAbfsOutMatchesLocalRunByteForByteWithAwkwardNames() throws Exception {
        AzureJobs.container(AZURITE, "outbox");
        AzureJobs.Run run = AzureJobs.run(AZURITE.abfsConf(),
                "--input", AZURITE.abfs("inbox", "photos"), "--output", AZURITE.abfs("outbox", "nightly/run 1"),
                "--ops", OPS, "--tile", "128", "--recursive", "--master", "local[2]");
        assertEquals(0, run.exit, run.toString());
        assertTrue(run.err.contains("tilespark: " + inputs.size() + " images: " + inputs.size() + " ok"), run.err);

        BlobContainerClient out = AzureJobs.container(AZURITE, "outbox");
        Map<String, byte[]> all = AzureJobs.download(out, "nightly/run 1/");
        Map<String, byte[]> outputs = AzureJobs.imagesOnly(all);
        assertEquals(localOutputs.keySet(), outputs.keySet(), "same relative paths as the local run");
        for (String marker : AzureJobs.folderMarkers(out, "nightly/run 1/")) {
            if (marker.equals("_tilespark") || marker.startsWith("_tilespark/")) {
                continue;
            }
            assertTrue(outputs.keySet().stream().anyMatch(k -> k.startsWith(marker + "/")),
                    "an empty folder marker only for a folder that holds outputs: " + marker);
        }

        OpenCv.load();
        for (Map.Entry<String, byte[]> e : localOutputs.entrySet()) {
            byte[] remote = outputs.get(e.getKey());
            Mat a = decode(e.getValue());
            Mat b = decode(remote);
            try {
                assertEquals(0, TestImages.diff(a, b), "pixels of " + e.getKey());
            } finally {
                a.release();
                b.release();
            }
            // Encoding is deterministic, so the files themselves are the same too.
            assertArrayEquals(e.getValue(), remote, "bytes of " + e.getKey());
        }

        String manifest = manifestText(all);
        for (String name : inputs.keySet()) {
            assertTrue(manifest.contains(name), "manifest lists " + name);
        }
        assertFalse(manifest.contains("\"failed\""), manifest);
        assertTrue(all.keySet().stream().noneMatch(k -> k.startsWith("_tilespark/_staging")),
                "staging is cleaned up: " + all.keySet());
    }

    @Test
    void singleBlobInputWritesOneOutput() throws Exception {
        AzureJobs.container(AZURITE, "single");
        String name = "2024/summer/beach day.jpg";
        AzureJobs.Run run = AzureJobs.run(AZURITE.abfsConf(),
                "--input", AZURITE.abfs("inbox", "photos/" + name), "--output", AZURITE.abfs("single", "one"),
                "--ops", OPS, "--tile", "128", "--master", "local[2]", "--quiet");
        assertEquals(0, run.exit, run.toString());
        Map<String, byte[]> outputs = AzureJobs.imagesOnly(AzureJobs.download(AzureJobs.container(AZURITE, "single"), "one/"));
        assertEquals(new TreeSet<>(List.of("beach day.jpg")), outputs.keySet());
        assertArrayEquals(localOutputs.get(name), outputs.get("beach day.jpg"));
    }

    @Test
    void fixedSasTokenInsteadOfTheKeyReadsAndWritesAndIsNeverPrinted() throws Exception {
        AzureJobs.container(AZURITE, "sasbox");
        AccountSasSignatureValues values = new AccountSasSignatureValues(OffsetDateTime.now().plusHours(1),
                AccountSasPermission.parse("rwdlac"), AccountSasService.parse("b"), AccountSasResourceType.parse("sco"));
        String sas = AzureJobs.client(AZURITE).generateAccountSas(values);
        assertTrue(sas.contains("sig="), sas.replaceAll("sig=[^&]*", "sig=..."));
        Map<String, String> conf = new TreeMap<>(AZURITE.abfsConf());
        conf.remove("spark.hadoop.fs.azure.account.key." + AZURITE.account() + ".dfs.core.windows.net");
        conf.put("spark.hadoop.fs.azure.account.auth.type", "SAS");
        conf.put("spark.hadoop.fs.azure.sas.fixed.token", sas);
        AzureJobs.Run run = AzureJobs.run(conf, "--input", AZURITE.abfs("inbox", "photos"),
                "--output", AZURITE.abfs("sasbox", "run"), "--ops", OPS, "--tile", "128", "--recursive",
                "--master", "local[2]");
        assertEquals(0, run.exit, run.toString().replace(sas, "<sas>"));
        Map<String, byte[]> outputs = AzureJobs.imagesOnly(AzureJobs.download(AzureJobs.container(AZURITE, "sasbox"), "run/"));
        assertEquals(localOutputs.keySet(), outputs.keySet());
        for (Map.Entry<String, byte[]> e : localOutputs.entrySet()) {
            assertArrayEquals(e.getValue(), outputs.get(e.getKey()), "bytes of " + e.getKey());
        }
        String sig = sas.replaceAll(".*sig=([^&]*).*", "$1");
        assertFalse(run.err.contains(sig) || run.out.contains(sig), "the SAS signature is never printed");
    }

    static Mat decode(byte[] bytes) {
        MatOfByte buf = new MatOfByte(bytes);
        try {
            Mat m = Imgcodecs.imdecode(buf, Imgcodecs.IMREAD_UNCHANGED);
            assertFalse(m.empty(), "decodes");
            return m;
        } finally {
            buf.release();
        }
    }

    static String manifestText(Map<String, byte[]> files) {
        StringBuilder sb = new StringBuilder();
        files.forEach((k, v) -> {
            if (k.startsWith("_tilespark/manifest/") && k.endsWith(".json")) {
                sb.append(new String(v, StandardCharsets.UTF_8));
            }
        });
        assertTrue(sb.length() > 0, "a manifest was written: " + files.keySet());
        return sb.toString();
    }
}
