package io.tilespark.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.tilespark.report.ManifestRow;

/** A journal line is valid JSON whatever the file name holds, and names its fields as the manifest does. */
class JournalTest {

    @Test
    void oddNamesSurviveTheJournalLine() throws Exception {
        ManifestRow r = new ManifestRow();
        String name = "dir \"q\"/back\\slash/tab\there/日本語 100%#1.png";
        r.relative = name;
        r.input = "file:/in/" + name;
        r.size = 123;
        r.mtime = 1_700_000_000_000L;
        r.format = "png";
        r.width = 7;
        r.height = 5;
        r.channels = 4;
        r.tiles = 1;
        r.ops = "blur:3";
        r.output = "file:/out/" + name;
        r.bytesOut = 99;
        r.notes = "line one\nline two";
        String line = Journal.json(r, 42);
        assertTrue(line.endsWith("}\n") && line.indexOf('\n') == line.length() - 1, "one line");
        JsonNode j = new ObjectMapper().readTree(line);
        assertEquals(name, j.get("relative").asText());
        assertEquals("file:/out/" + name, j.get("output").asText());
        assertEquals(99, j.get("bytes_out").asLong());
        assertEquals(1_700_000_000_000L, j.get("mtime").asLong());
        assertEquals("line one\nline two", j.get("notes").asText());
        assertEquals(42, j.get("written").asLong());
        for (String field : new String[] {"relative", "input", "size", "mtime", "format", "width", "height", "channels",
            "tiles", "ops", "output", "bytes_out"}) {
            assertTrue(ManifestRow.schema().getFieldIndex(field).isDefined(), field + " is a manifest column too");
        }
    }
}
