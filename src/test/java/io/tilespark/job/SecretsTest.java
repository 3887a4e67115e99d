package io.tilespark.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Pattern;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

class SecretsTest {

    static final List<String> AZURE_SECRET_KEYS = List.of(
            "spark.hadoop.fs.azure.account.key.acct.dfs.core.windows.net",
            "fs.azure.account.key.acct.blob.core.windows.net",
            "spark.hadoop.fs.azure.sas.box.acct.blob.core.windows.net",
            "spark.hadoop.fs.azure.sas.fixed.token",
            "spark.hadoop.fs.azure.account.oauth2.client.secret",
            "fs.azure.account.oauth2.client.secret.acct.dfs.core.windows.net",
            "spark.hadoop.fs.azure.encryption.encoded.client-provided-key");

    static boolean matches(String regex, String s) {
        return Pattern.compile(regex).matcher(s).find();
    }

    @Test
    void sparkDefaultRedactionMissesTheAccountKeyAndWasbSas() {
        assertFalse(matches(Secrets.SPARK_DEFAULT_REDACTION, "spark.hadoop.fs.azure.account.key.acct.dfs.core.windows.net"));
        assertFalse(matches(Secrets.SPARK_DEFAULT_REDACTION, "spark.hadoop.fs.azure.sas.box.acct.blob.core.windows.net"));
    }

    @Test
    void protectedRegexMatchesEveryAzureCredentialKeyAndSasSignatureValues() {
        String regex = Secrets.protect(new SparkConf(false)).get(Secrets.REDACTION_KEY);
        for (String key : AZURE_SECRET_KEYS) {
            assertTrue(matches(regex, key), key);
            assertTrue(matches(regex, key.toUpperCase(java.util.Locale.ROOT)), "case-insensitive: " + key);
        }
        // Spark redacts a setting whose value matches, too: a SAS URL under any key.
        assertTrue(matches(regex, "https://acct.blob.core.windows.net/box?sv=2022-11-02&sp=r&sig=abc%2Bdef"));
        // Spark's own defaults still hold.
        for (String key : List.of("spark.ssl.keyPassword", "spark.authenticate.secret", "x.token", "s3.access.key")) {
            assertTrue(matches(regex, key), key);
        }
        // Ordinary settings stay visible.
        for (String key : List.of("spark.hadoop.fs.azure.abfs.endpoint", "spark.hadoop.fs.azure.account.auth.type",
                "spark.hadoop.fs.azure.account.oauth2.client.id", "spark.master")) {
            assertFalse(matches(regex, key), key);
        }
    }

    @Test
    void protectAppendsToTheUsersRegexInsteadOfReplacingIt() {
        SparkConf conf = new SparkConf(false).set(Secrets.REDACTION_KEY, "mycorp[.]pin");
        String regex = Secrets.protect(conf).get(Secrets.REDACTION_KEY);
        assertTrue(regex.startsWith("mycorp[.]pin|"), regex);
        assertTrue(matches(regex, "spark.mycorp.pin"));
        assertFalse(matches(regex, "spark.MYCORP.PIN"), "the user's own part keeps its own (case-sensitive) flags");
        assertTrue(matches(regex, "spark.hadoop.fs.azure.account.key.acct.dfs.core.windows.net"));
        assertTrue(matches(regex, "SPARK.HADOOP.FS.AZURE.ACCOUNT.KEY.ACCT"), "Azure's part is case-insensitive on its own");
    }

    @Test
    void protectTwiceChangesNothingMore() {
        SparkConf conf = Secrets.protect(new SparkConf(false));
        String once = conf.get(Secrets.REDACTION_KEY);
        assertEquals(once, Secrets.protect(conf).get(Secrets.REDACTION_KEY));
    }
}
