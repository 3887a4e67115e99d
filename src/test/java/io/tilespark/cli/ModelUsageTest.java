package io.tilespark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tilespark.Main;
import io.tilespark.testing.RealImages;

/**
 * A detector model that is missing or is not a cascade is a usage error (exit 2, one line) raised
 * on the driver before any image is listed or read, so nothing is written.
 */
class ModelUsageTest {

    @TempDir
    Path tmp;

    private String[] err = new String[1];

    private int run(String input, String model) {
        StringWriter e = new StringWriter();
        int code = Main.run(new PrintWriter(new StringWriter(), true), new PrintWriter(e, true),
                "--master", "local[1]", "--input", input, "--output", tmp.resolve("out").toString(), "--quiet",
                "--ops", "grey,detect:faces=" + model + ",stats");
        err[0] = e.toString();
        return code;
    }

    @Test
    void missingModelIsAUsageErrorRaisedBeforeTheInputIsEvenListed() {
        // The input does not exist either: the model error comes first, so the model was checked
        // before the job looked at any input.
        String model = tmp.resolve("no-such-model.xml").toUri().toString();
        int code = run(tmp.resolve("no-such-input").toString(), model);
        assertEquals(2, code, err[0]);
        assertTrue(err[0].startsWith("tilespark: the model of detect:faces (" + model + ") not found"), err[0]);
        assertEquals(1, err[0].trim().split("\n").length, "one line: " + err[0]);
        assertFalse(err[0].contains("input not found"), err[0]);
        assertFalse(Files.exists(tmp.resolve("out")));
    }

    @Test
    void aFileThatIsNotACascadeIsAUsageErrorAndNothingIsWritten() throws Exception {
        Path notACascade = tmp.resolve("model.xml");
        Files.write(notACascade, "<?xml version=\"1.0\"?>\n<opencv_storage><x>1</x></opencv_storage>\n"
                .getBytes(StandardCharsets.UTF_8));
        int code = run("sample-images", notACascade.toUri().toString());
        assertEquals(2, code, err[0]);
        assertTrue(err[0].contains("is not a cascade classifier OpenCV can load"), err[0]);
        assertFalse(err[0].contains("\tat "), "no stack trace: " + err[0]);
        assertFalse(Files.exists(tmp.resolve("out")), "no output folder, no manifest");

        // An image as the model: the same error.
        assertEquals(2, run("sample-images", RealImages.require(RealImages.COFFEE).toUri().toString()), err[0]);
        assertTrue(err[0].contains("is not a cascade classifier OpenCV can load"), err[0]);
    }

    @Test
    void aFolderAsTheModelIsAUsageError() {
        int code = run("sample-images", tmp.toUri().toString());
        assertEquals(2, code, err[0]);
        assertTrue(err[0].contains("is a directory, not a model file"), err[0]);
        assertFalse(Files.exists(tmp.resolve("out")));
    }
}
