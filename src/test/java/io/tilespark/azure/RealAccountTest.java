package io.tilespark.azure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;

/**
 * The same flow against a real storage account, over TLS to its DFS endpoint (abfss://), which
 * Azurite cannot cover. Runs only when TILESPARK_AZURE_ACCOUNT and TILESPARK_AZURE_KEY name an
 * account and its key; it creates a container of its own and deletes it afterwards.
 *
 * <pre>
 * TILESPARK_AZURE_ACCOUNT=myaccount TILESPARK_AZURE_KEY=... mvn test -Dtest=RealAccountTest
 * </pre>
 */
@EnabledIfEnvironmentVariable(named = "TILESPARK_AZURE_ACCOUNT", matches = ".+")
@EnabledIfEnvironmentVariable(named = "TILESPARK_AZURE_KEY", matches = ".+")
@DisabledIfSystemProperty(named = "tilespark.target", matches = "hdinsight",
        disabledReason = "the default target's hadoop-azure 3.4.2 is the one under test")
class RealAccountTest {

    static final String OPS = "grey,blur:5,sharpen";

    @Test
    void abfssInAbfssOutOnARealAccountMatchesLocalRunByteForByte(@TempDir Path tmp) throws Exception {
        String account = System.getenv("TILESPARK_AZURE_ACCOUNT");
        String key = System.getenv("TILESPARK_AZURE_KEY");
        BlobServiceClient service = new BlobServiceClientBuilder()
                .connectionString("DefaultEndpointsProtocol=https;AccountName=" + account + ";AccountKey=" + key
                        + ";EndpointSuffix=core.windows.net")
                .httpClient(new JdkHttpClientBuilder().build()).buildClient();
        String name = "tilespark-test-" + UUID.randomUUID().toString().substring(0, 8);
        BlobContainerClient container = service.createBlobContainer(name);
        try {
            Map<String, byte[]> inputs = AzureJobs.images();
            AzureJobs.upload(container, "in/", inputs);

            Path localIn = tmp.resolve("in");
            Path localOut = tmp.resolve("out");
            AzureJobs.writeLocal(localIn, inputs);
            AzureJobs.Run local = AzureJobs.run(new TreeMap<>(), "--input", localIn.toUri().toString(),
                    "--output", localOut.toUri().toString(), "--ops", OPS, "--tile", "128", "--recursive",
                    "--master", "local[2]");
            assertEquals(0, local.exit, local.toString());
            Map<String, byte[]> expected = AzureJobs.imagesOnly(AzureJobs.readLocal(localOut));

            Map<String, String> conf = new LinkedHashMap<>();
            conf.put("spark.hadoop.fs.azure.account.auth.type", "SharedKey");
            conf.put("spark.hadoop.fs.azure.account.key." + account + ".dfs.core.windows.net", key);
            String root = "abfss://" + name + "@" + account + ".dfs.core.windows.net/";
            AzureJobs.Run run = AzureJobs.run(conf, "--input", root + "in", "--output", root + "out/run 1",
                    "--ops", OPS, "--tile", "128", "--recursive", "--master", "local[2]");
            assertEquals(0, run.exit, run.toString());
            assertTrue(!run.err.contains(key) && !run.out.contains(key), "the key is never printed");

            Map<String, byte[]> outputs = AzureJobs.imagesOnly(AzureJobs.download(container, "out/run 1/"));
            assertEquals(expected.keySet(), outputs.keySet());
            for (Map.Entry<String, byte[]> e : expected.entrySet()) {
                assertArrayEquals(e.getValue(), outputs.get(e.getKey()), "bytes of " + e.getKey());
            }
        } finally {
            container.delete();
        }
    }
}
