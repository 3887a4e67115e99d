package io.tilespark.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The report's text: escaping, capping, sections that appear only when they have content, and summary.json. */
class HtmlReportTest {

    private static RunSummary summary(long ok, long failed) {
        RunSummary s = new RunSummary();
        s.runId = "r1";
        s.ops = "grey,blur:5";
        s.input = "abfss://photos@acct.dfs.core.windows.net/in";
        s.output = "file:/tmp/out";
        s.settings = "input=" + s.input + " output=/tmp/out ops=grey,blur:5";
        s.manifest = "file:/tmp/out/_tilespark/manifest";
        s.listed = ok + failed;
        s.ok = ok;
        s.failed = failed;
        s.megapixels = 24.5;
        s.startedMillis = 1_000_000;
        s.finishedMillis = 1_000_000 + 49_000;
        s.sparkAppId = "local-1";
        s.sparkVersion = "4.1.3";
        s.sparkMaster = "local[2]";
        s.phaseMillis[2] = 300;
        s.phaseMillis[3] = 100;
        return s;
    }

    private static ManifestRow row(String rel, String status, String error) {
        ManifestRow r = new ManifestRow();
        r.relative = rel;
        r.status = status;
        r.error = error;
        r.format = "png";
        r.width = 30;
        r.height = 20;
        return r;
    }

    @Test
    void userTextIsEscapedEverywhere() {
        ManifestRow bad = row("x/<script>alert(1)</script>&.png", ManifestRow.FAILED, "bad \"quote\" <b>");
        String html = new HtmlReport(summary(0, 1), List.of(bad), List.of(bad),
                List.of(new HtmlReport.Pair("<img>.png", new byte[] {1}, new byte[] {2}))).render();
        assertFalse(html.contains("<script>alert"), "raw script from a file name");
        assertFalse(html.contains("<b>"), "raw markup from an error");
        assertTrue(html.contains("x/&lt;script&gt;alert(1)&lt;/script&gt;&amp;.png"));
        assertTrue(html.contains("bad &quot;quote&quot; &lt;b&gt;"));
        assertTrue(html.contains("alt=\"before: &lt;img&gt;.png\""));
        // One script element: the page's own.
        assertEquals(1, html.split("<script>", -1).length - 1);
    }

    @Test
    void failuresSectionOnlyWhenSomethingFailed() {
        String clean = new HtmlReport(summary(2, 0), List.of(row("a.png", "ok", null), row("b.png", "ok", null)),
                Collections.emptyList(), Collections.emptyList()).render();
        assertFalse(clean.contains("id=\"failures\""));
        assertFalse(clean.contains("id=\"thumbs\""), "no thumbnails section without thumbnails");
        assertTrue(clean.contains("all 2 images ok"));
        String failed = new HtmlReport(summary(1, 1), List.of(row("a.png", "ok", null), row("b.png", "failed", "boom")),
                List.of(row("b.png", "failed", "boom")), Collections.emptyList()).render();
        assertTrue(failed.contains("id=\"failures\""));
        assertTrue(failed.contains("1 of 2 images failed"));
        assertTrue(failed.contains("<td class=\"error\">boom</td>"));
    }

    @Test
    void cappedTableSaysHowManyRowsAreLeftToTheManifest() {
        List<ManifestRow> rows = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            rows.add(row("img" + i + ".png", "ok", null));
        }
        String html = new HtmlReport(summary(9000, 0), rows, Collections.emptyList(), Collections.emptyList()).render();
        assertTrue(html.contains("Showing the first 3 of 9000 images by path"));
        String full = new HtmlReport(summary(3, 0), rows, Collections.emptyList(), Collections.emptyList()).render();
        assertFalse(full.contains("id=\"capped\""));
    }

    @Test
    void summaryJsonIsValidAndCarriesCountsThroughputAndSettings() throws Exception {
        RunSummary s = summary(7, 2);
        s.eventLogDir = "file:/tmp/ev";
        JsonNode j = new ObjectMapper().readTree(s.toJson());
        assertEquals(7, j.path("images").path("ok").asInt());
        assertEquals(2, j.path("images").path("failed").asInt());
        assertEquals(9, j.path("images").path("listed").asInt());
        assertEquals(49.0, j.path("wall_seconds").asDouble(), 1e-9);
        assertEquals(0.5, j.path("throughput_mp_per_s").asDouble(), 1e-9);
        assertEquals("grey,blur:5", j.path("settings").path("ops").asText());
        assertEquals("local-1", j.path("spark").path("app_id").asText());
        assertTrue(j.path("spark").path("history_server").asText().contains("submit/history.sh file:/tmp/ev"));
        assertTrue(j.path("spark").path("ui_url").isNull());
        assertEquals(300, j.path("task_ms_by_phase").path("ops").asLong());
    }

    @Test
    void passwordsInUriUserInfoAreMaskedButAzureContainersAreNot() {
        assertEquals("hdfs://alice:***@nn:8020/x", RunSummary.redact("hdfs://alice:s3cret@nn:8020/x"));
        assertEquals("abfss://photos@acct.dfs.core.windows.net/in",
                RunSummary.redact("abfss://photos@acct.dfs.core.windows.net/in"));
        assertEquals("input=ftp://u:***@h/a output=/o", RunSummary.redact("input=ftp://u:pw@h/a output=/o"));
    }

    @Test
    void jsonEscapesControlCharactersAndQuotes() throws Exception {
        String json = JsonText.write(java.util.Map.of("k", "a\"b\\c\nd\u0001"));
        assertEquals("a\"b\\c\nd\u0001", new ObjectMapper().readTree(json).path("k").asText());
    }
}
