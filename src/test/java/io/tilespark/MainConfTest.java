package io.tilespark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

import io.tilespark.job.AzureDefaults;
import picocli.CommandLine;

class MainConfTest {

    static SparkConf confFor(String... args) {
        Main main = new Main();
        new CommandLine(main).parseArgs(args);
        return main.sparkConf();
    }

    @Test
    void confOptionKeepsEqualsSignsInValuesAndRepeats() {
        String sas = "sv=2022-11-02&ss=b&sp=rl&sig=AbC%2Bd%3D";
        SparkConf c = confFor("--input", "x", "--output", "y", "--ops", "grey",
                "--conf", "spark.hadoop.fs.azure.sas.fixed.token=" + sas,
                "--conf", "spark.hadoop.fs.azure.account.auth.type=SAS");
        assertEquals(sas, c.get("spark.hadoop.fs.azure.sas.fixed.token"));
        assertEquals("SAS", c.get("spark.hadoop.fs.azure.account.auth.type"));
    }

    @Test
    void everyRunGetsAzureRedactionAndTheRetryCapUnlessTheUserSetOne() {
        SparkConf c = confFor("--input", "x", "--output", "y", "--ops", "grey");
        assertTrue(c.get("spark.redaction.regex").contains("fs[.]azure[.]account[.]key"), c.get("spark.redaction.regex"));
        assertEquals(AzureDefaults.DEFAULT_MAX_RETRIES, c.get(AzureDefaults.MAX_RETRIES));

        SparkConf mine = confFor("--input", "x", "--output", "y", "--ops", "grey",
                "--conf", AzureDefaults.MAX_RETRIES + "=3", "--conf", "spark.redaction.regex=(?i)mine");
        assertEquals("3", mine.get(AzureDefaults.MAX_RETRIES));
        assertTrue(mine.get("spark.redaction.regex").startsWith("(?i)mine|"), mine.get("spark.redaction.regex"));
    }
}
