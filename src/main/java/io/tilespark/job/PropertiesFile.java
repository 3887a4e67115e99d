package io.tilespark.job;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

import io.tilespark.ops.UsageException;

/**
 * {@code --properties-file FILE}: Spark settings read as spark-submit reads its properties file,
 * so that secrets (an account key, a SAS token) stay off the command line. The file is a
 * {@link java.util.Properties} file in UTF-8 ({@code key value} or {@code key=value} per line);
 * values are trimmed of spaces and control characters but not of line breaks, as Spark trims
 * them. Errors name the file, never its content.
 */
public final class PropertiesFile {

    private PropertiesFile() {
    }

    /** Every setting in {@code path}; a missing or unreadable file is a usage error. */
    public static Map<String, String> read(String path) {
        File f = new File(path);
        if (!f.exists()) {
            throw new UsageException("--properties-file: no such file: " + path);
        }
        if (!f.isFile()) {
            throw new UsageException("--properties-file: not a file: " + path);
        }
        if (!f.canRead()) {
            throw new UsageException("--properties-file: cannot read " + path + " (permission denied)");
        }
        java.util.Properties p = new java.util.Properties();
        try (Reader r = new InputStreamReader(new FileInputStream(f), StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new UsageException("--properties-file: cannot read " + path + " (" + e.getClass().getSimpleName() + ")");
        } catch (IllegalArgumentException e) {
            // Properties.load's only complaint about content: a malformed \\uXXXX escape.
            throw new UsageException("--properties-file: cannot read " + path + ": malformed \\uXXXX escape");
        }
        Map<String, String> settings = new TreeMap<>();
        for (String key : p.stringPropertyNames()) {
            settings.put(key, trimExceptLineBreaks(p.getProperty(key)));
        }
        return settings;
    }

    /** Spark's {@code Utils.trimExceptCRLF}: strips characters up to ' ' except CR and LF from both ends. */
    static String trimExceptLineBreaks(String s) {
        int first = 0;
        int last = s.length() - 1;
        while (first <= last && isTrimmed(s.charAt(first))) {
            first++;
        }
        while (last >= first && isTrimmed(s.charAt(last))) {
            last--;
        }
        return s.substring(first, last + 1);
    }

    private static boolean isTrimmed(char c) {
        return c <= ' ' && c != '\r' && c != '\n';
    }
}
