package io.tilespark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

/**
 * --properties-file: Spark settings from a file, read as spark-submit reads its own, so that
 * submit/local.sh can start the driver without spark-submit and still keep secrets off argv.
 */
class MainPropertiesFileTest {

    private static final String KEY_SETTING = "spark.hadoop.fs.azure.account.key.acct.dfs.core.windows.net";
    private static final String SECRET = "c2VjcmV0LWtleS1mb3ItdGhlLXRlc3Q=";

    @TempDir
    Path tmp;

    private final StringWriter err = new StringWriter();

    private SparkConf confFor(String... args) {
        Main main = new Main();
        CommandLine cli = new CommandLine(main);
        cli.setErr(new PrintWriter(err, true));
        cli.parseArgs(args);
        return main.sparkConf();
    }

    private Path file(String name, String text) throws Exception {
        return Files.write(tmp.resolve(name), text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theFilesSettingsLandInTheSparkConfTrimmedAndHidden() throws Exception {
        Path props = file("spark.conf", "# a comment\n"
                + KEY_SETTING + " " + SECRET + "\n"
                + "spark.hadoop.fs.azure.account.auth.type = SharedKey   \n"
                + "spark.ui.port=4999\t\n"
                + "fs.not.spark value\n");
        SparkConf c = confFor("--input", "x", "--output", "y", "--ops", "grey", "--properties-file", props.toString());

        assertEquals(SECRET, c.get(KEY_SETTING));
        assertEquals("SharedKey", c.get("spark.hadoop.fs.azure.account.auth.type"), "values are trimmed");
        assertEquals("4999", c.get("spark.ui.port"));
        assertFalse(c.contains("fs.not.spark"), "only spark.* keys, as spark-submit");
        assertTrue(err.toString().contains("ignoring 'fs.not.spark'"), err.toString());
        // The same redaction as --conf settings get (Secrets.protect): Spark hides the key's value.
        assertTrue(Pattern.compile(c.get("spark.redaction.regex")).matcher(KEY_SETTING).find(),
                c.get("spark.redaction.regex"));
        assertFalse(err.toString().contains(SECRET));
    }

    @Test
    void theFilesRedactionRegexIsExtendedLikeAnyOther() throws Exception {
        Path props = file("spark.conf", "spark.redaction.regex=(?i)mine\n");
        SparkConf c = confFor("--input", "x", "--output", "y", "--ops", "grey", "--properties-file", props.toString());
        String regex = c.get("spark.redaction.regex");
        assertTrue(regex.startsWith("(?i)mine|"), regex);
        assertTrue(Pattern.compile(regex).matcher(KEY_SETTING).find(), regex);
    }

    @Test
    void confOverridesTheFileAndTheFileOverridesNothingElse() throws Exception {
        Path props = file("spark.conf", "spark.ui.port 4999\nspark.speculation true\nspark.app.name mine\n");
        SparkConf c = confFor("--input", "x", "--output", "y", "--ops", "grey", "--properties-file", props.toString(),
                "--conf", "spark.ui.port=5001");
        assertEquals("5001", c.get("spark.ui.port"), "--conf wins over the file, as with spark-submit");
        assertEquals("true", c.get("spark.speculation"));
        assertEquals("tilespark grey", c.get("spark.app.name"), "named as when spark-submit passes it on");

        SparkConf before = confFor("--conf", "spark.ui.port=5001", "--properties-file", props.toString(),
                "--input", "x", "--output", "y", "--ops", "grey");
        assertEquals("5001", before.get("spark.ui.port"), "whatever the order on the command line");
    }

    @Test
    void aMissingFileIsAUsageErrorOfOneLineAndWritesNothing() {
        StringWriter out = new StringWriter();
        StringWriter errs = new StringWriter();
        Path missing = tmp.resolve("no-such.conf");
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(errs, true), "--master", "local[1]",
                "--input", tmp.toString(), "--output", tmp.resolve("out").toString(), "--ops", "grey", "--quiet",
                "--properties-file", missing.toString());
        assertEquals(Main.EXIT_USAGE, code, errs.toString());
        assertEquals(1, errs.toString().trim().split("\n").length, "one line: " + errs);
        assertEquals("tilespark: --properties-file: no such file: " + missing, errs.toString().trim());
        assertFalse(Files.exists(tmp.resolve("out")));
    }

    @Test
    void anUnreadableFileIsAUsageErrorThatDoesNotQuoteIt() throws Exception {
        // Properties.load refuses a malformed unicode escape: the message must not echo the line.
        Path bad = file("bad.conf", KEY_SETTING + "=" + SECRET + "\\uZZZZ\n");
        StringWriter errs = new StringWriter();
        int code = Main.run(new PrintWriter(new StringWriter(), true), new PrintWriter(errs, true),
                "--master", "local[1]", "--input", tmp.toString(), "--output", tmp.resolve("out").toString(),
                "--ops", "grey", "--quiet", "--properties-file", bad.toString());
        assertEquals(Main.EXIT_USAGE, code, errs.toString());
        assertEquals(1, errs.toString().trim().split("\n").length, "one line: " + errs);
        assertTrue(errs.toString().contains(bad.toString()), errs.toString());
        assertFalse(errs.toString().contains(SECRET), errs.toString());
        assertFalse(Files.exists(tmp.resolve("out")));
    }
}
