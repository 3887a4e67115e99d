package io.tilespark.azure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.azure.storage.blob.BlobContainerClient;

/**
 * The HDInsight build (Hadoop 3.3.4) end to end through wasb:// in emulator mode: its ABFS speaks
 * only the DFS endpoint, which Azurite lacks, while WASB works against the Blob endpoint and is
 * also supported on HDInsight. Emulator mode always talks to 127.0.0.1:10000, so this test needs
 * that port and runs only under -Phdinsight (see .ci/run); the default target's tests never use it.
 */
@EnabledIfSystemProperty(named = "tilespark.target", matches = "hdinsight",
        disabledReason = "WASB emulator flow is the HDInsight target's; run with -Phdinsight")
class WasbEmulatorTest {

    @RegisterExtension
    static final Azurite AZURITE = Azurite.onPort(10000);

    static final String OPS = "grey,blur:5,sharpen";

    @Test
    void wasbInWasbOutMatchesLocalRunByteForByteWithAwkwardNames(@TempDir Path tmp) throws Exception {
        Map<String, byte[]> inputs = AzureJobs.images();
        AzureJobs.upload(AzureJobs.container(AZURITE, "wasb-in"), "photos/", inputs);
        BlobContainerClient out = AzureJobs.container(AZURITE, "wasb-out");

        Path localIn = tmp.resolve("in");
        Path localOut = tmp.resolve("out");
        AzureJobs.writeLocal(localIn, inputs);
        AzureJobs.Run local = AzureJobs.run(new TreeMap<>(), "--input", localIn.toUri().toString(),
                "--output", localOut.toUri().toString(), "--ops", OPS, "--tile", "128", "--recursive",
                "--master", "local[2]");
        assertEquals(0, local.exit, local.toString());
        Map<String, byte[]> expected = AzureJobs.imagesOnly(AzureJobs.readLocal(localOut));
        assertEquals(inputs.keySet(), expected.keySet());

        Map<String, String> conf = new LinkedHashMap<>();
        // hadoop-azure's emulator switch: this account name means the local emulator, with its published key.
        conf.put("spark.hadoop.fs.azure.storage.emulator.account.name", Azurite.DEV_ACCOUNT);
        String account = "@" + Azurite.DEV_ACCOUNT + "/";
        AzureJobs.Run run = AzureJobs.run(conf, "--input", "wasb://wasb-in" + account + "photos",
                "--output", "wasb://wasb-out" + account + "nightly/run 1", "--ops", OPS, "--tile", "128",
                "--recursive", "--master", "local[2]");
        assertEquals(0, run.exit, run.toString());
        assertTrue(run.err.contains("tilespark: " + inputs.size() + " images: " + inputs.size() + " ok"), run.err);

        Map<String, byte[]> outputs = AzureJobs.imagesOnly(AzureJobs.download(out, "nightly/run 1/"));
        assertEquals(expected.keySet(), outputs.keySet(), "same relative paths as the local run");
        for (Map.Entry<String, byte[]> e : expected.entrySet()) {
            assertArrayEquals(e.getValue(), outputs.get(e.getKey()), "bytes of " + e.getKey());
        }
    }
}
