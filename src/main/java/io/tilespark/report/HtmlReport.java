package io.tilespark.report;

import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * report.html: one self-contained page (inline CSS and script, thumbnails as data: URIs) that a
 * person opens the morning after a nightly run. It has the verdict and the numbers, the run's
 * settings and Spark links, where the time went, every failure with its reason, before/after
 * thumbnails, and a sortable, filterable table of the images.
 *
 * <p>The table sorts by clicking a column head; the sort is kept in the address (#sort=-ms_total)
 * so a sorted view can be linked to and survives a reload.
 */
public final class HtmlReport {

    /** Rows beyond this are left to the manifest: a browser handles a few thousand rows well. */
    public static final int TABLE_CAP = 5000;
    public static final int FAILURE_CAP = 1000;

    /** A sampled image's two thumbnails. */
    public static final class Pair {
        final String relative;
        final byte[] before;
        final byte[] after;

        public Pair(String relative, byte[] before, byte[] after) {
            this.relative = relative;
            this.before = before;
            this.after = after;
        }
    }

    private final RunSummary s;
    private final List<ManifestRow> rows;
    private final List<ManifestRow> failures;
    private final List<Pair> pairs;
    private final StringBuilder out = new StringBuilder(64 * 1024);

    /**
     * @param rows     the first rows by relative path, at most {@link #TABLE_CAP}
     * @param failures the failed rows, at most {@link #FAILURE_CAP}
     */
    public HtmlReport(RunSummary summary, List<ManifestRow> rows, List<ManifestRow> failures, List<Pair> pairs) {
        this.s = summary;
        this.rows = rows;
        this.failures = failures;
        this.pairs = pairs;
    }

    public String render() {
        String tone = s.failed > 0 ? "warn" : "ok";
        out.append("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>tilespark: ").append(esc(s.verdict())).append(" (").append(esc(s.ops))
                .append(")</title>\n<style>").append(CSS).append("</style>\n</head>\n<body>\n");
        header(tone);
        cards();
        details();
        phases();
        failures();
        thumbnails();
        table();
        out.append("<footer>Query every row with Spark SQL: <code>spark.read.json(\"")
                .append(esc(s.manifest)).append("\")</code>. Written by tilespark ")
                .append(esc(s.tilesparkVersion)).append(".</footer>\n");
        out.append("<script>").append(SCRIPT).append("</script>\n</body>\n</html>\n");
        return out.toString();
    }

    private void header(String tone) {
        out.append("<header>\n<h1>tilespark run <span id=\"verdict\" class=\"pill ").append(tone).append("\">")
                .append(esc(s.verdict())).append("</span></h1>\n<p class=\"sub\"><code>").append(esc(s.ops))
                .append("</code> &middot; finished ").append(esc(RunSummary.iso(s.finishedMillis).replace('T', ' ')))
                .append(" &middot; exit code ").append(s.exitCode).append("</p>\n</header>\n");
    }

    private void cards() {
        out.append("<section class=\"cards\" id=\"counts\">\n");
        card("ok", "images ok", String.valueOf(s.ok), "ok");
        card("failed", "images failed", String.valueOf(s.failed), s.failed > 0 ? "bad" : "");
        card("skipped", "images skipped", String.valueOf(s.skipped), "");
        card("megapixels", "megapixels written", num(s.megapixels), "");
        card("wall", "wall time", duration(s.wallSeconds()), "");
        card("throughput", "throughput", num(s.megapixelsPerSecond()) + " MP/s", "");
        card("bytes-in", "read", bytes(s.bytesIn), "");
        card("bytes-out", "written", bytes(s.bytesOut), "");
        out.append("</section>\n");
    }

    /** {@code valueHtml} is markup made here from numbers, never user text. */
    private void card(String id, String label, String valueHtml, String tone) {
        out.append("<div class=\"card ").append(tone).append("\" id=\"card-").append(id).append("\"><div class=\"v\">")
                .append(valueHtml).append("</div><div class=\"k\">").append(label).append("</div></div>\n");
    }

    private void details() {
        out.append("<section>\n<h2>Run</h2>\n<table class=\"kv\">\n");
        kv("operators", "<code>" + esc(s.ops) + "</code>");
        kv("input", "<code>" + esc(s.input) + "</code>");
        kv("output", "<code>" + esc(s.output) + "</code>");
        kv("settings", "<code>" + esc(s.settings) + "</code>");
        kv("started", esc(RunSummary.iso(s.startedMillis).replace('T', ' ')));
        kv("Spark", esc(s.sparkVersion + ", master " + s.sparkMaster + ", application " + s.sparkAppId));
        if (s.sparkUiUrl != null) {
            kv("Spark UI", "<a href=\"" + esc(s.sparkUiUrl) + "\">" + esc(s.sparkUiUrl)
                    + "</a> <span class=\"muted\">(live only while the job ran)</span>");
        }
        kv("History Server", s.historyHint() != null ? "<code>" + esc(s.historyHint()) + "</code>"
                : "<span class=\"muted\">no event log: run with --event-log DIR to keep the Spark UI</span>");
        kv("OpenCV", esc(s.opencv) + " <span class=\"muted\">(" + esc(s.target) + " build)</span>");
        kv("tiles", String.valueOf(s.tiles));
        kv("manifest", "<code>" + esc(s.manifest) + "</code>");
        out.append("</table>\n</section>\n");
    }

    private void kv(String k, String vHtml) {
        out.append("<tr><th>").append(esc(k)).append("</th><td>").append(vHtml).append("</td></tr>\n");
    }

    private void phases() {
        long total = 0;
        for (long ms : s.phaseMillis) {
            total += ms;
        }
        if (total == 0) {
            return;
        }
        out.append("<section>\n<h2>Where the time went <span class=\"muted\">(task time summed over images)</span></h2>\n")
                .append("<div class=\"bars\">\n");
        for (int i = 0; i < RunSummary.PHASES.length; i++) {
            double pct = 100.0 * s.phaseMillis[i] / total;
            out.append("<div class=\"bar\"><span class=\"k\">").append(RunSummary.PHASES[i])
                    .append("</span><span class=\"track\"><span class=\"fill\" style=\"width:")
                    .append(String.format(Locale.ROOT, "%.1f", pct)).append("%\"></span></span><span class=\"v\">")
                    .append(duration(s.phaseMillis[i] / 1000.0)).append(" &middot; ")
                    .append(String.format(Locale.ROOT, "%.0f", pct)).append("%</span></div>\n");
        }
        out.append("</div>\n</section>\n");
    }

    private void failures() {
        if (s.failed == 0) {
            return;
        }
        out.append("<section id=\"failures\">\n<h2>Failures (").append(s.failed).append(")</h2>\n")
                .append("<table class=\"list\">\n<thead><tr><th>image</th><th>format</th><th>reason</th></tr></thead>\n<tbody>\n");
        for (ManifestRow r : failures) {
            out.append("<tr class=\"failed\"><td><code>").append(esc(r.relative)).append("</code></td><td>")
                    .append(esc(r.format == null || r.format.isEmpty() ? "unknown" : r.format)).append("</td><td class=\"error\">")
                    .append(esc(r.error)).append("</td></tr>\n");
        }
        out.append("</tbody>\n</table>\n");
        if (s.failed > failures.size()) {
            out.append("<p class=\"note\">The first ").append(failures.size()).append(" of ").append(s.failed)
                    .append(" failures by path; the manifest has them all: filter on <code>status = 'failed'</code>.</p>\n");
        }
        out.append("</section>\n");
    }

    private void thumbnails() {
        if (pairs.isEmpty()) {
            return;
        }
        out.append("<section id=\"thumbs\">\n<h2>Before and after <span class=\"muted\">(")
                .append(pairs.size()).append(" images sampled evenly by path)</span></h2>\n<div class=\"grid\">\n");
        for (Pair p : pairs) {
            out.append("<figure><div class=\"pair\">");
            img(p.before, "before: " + p.relative);
            img(p.after, "after: " + p.relative);
            out.append("</div><figcaption title=\"").append(esc(p.relative)).append("\">").append(esc(p.relative))
                    .append("</figcaption></figure>\n");
        }
        out.append("</div>\n</section>\n");
    }

    private void img(byte[] jpeg, String alt) {
        out.append("<img class=\"thumb\" alt=\"").append(esc(alt)).append("\" src=\"data:image/jpeg;base64,")
                .append(Base64.getEncoder().encodeToString(jpeg)).append("\">");
    }

    private static final String[][] COLUMNS = {
        // key, heading, type
        {"path", "image", "text"},
        {"status", "status", "text"},
        {"format", "format", "text"},
        {"pixels", "size", "num"},
        {"tiles", "tiles", "num"},
        {"bytes_in", "in", "num"},
        {"bytes_out", "out", "num"},
        {"ms_read", "read ms", "num"},
        {"ms_decode", "decode ms", "num"},
        {"ms_ops", "ops ms", "num"},
        {"ms_stitch", "stitch ms", "num"},
        {"ms_encode", "encode ms", "num"},
        {"ms_write", "write ms", "num"},
        {"ms_total", "total ms", "num"},
        {"notes", "notes / error", "text"},
    };

    private void table() {
        long all = s.ok + s.failed + s.skipped;
        out.append("<section id=\"images\">\n<h2>Images (").append(all).append(")</h2>\n")
                .append("<p class=\"tools\"><input id=\"filter\" type=\"search\" placeholder=\"filter: part of a path, "
                        + "a status, an error\" aria-label=\"filter rows\"> <span class=\"muted\">click a column "
                        + "head to sort</span></p>\n<div class=\"scroll\">\n<table id=\"images-table\" class=\"list sortable\">\n<thead><tr>");
        for (String[] c : COLUMNS) {
            out.append("<th data-key=\"").append(c[0]).append("\" data-type=\"").append(c[2]).append("\"")
                    .append("num".equals(c[2]) ? " class=\"n\"" : "").append('>').append(c[1]).append("</th>");
        }
        out.append("</tr></thead>\n<tbody>\n");
        for (ManifestRow r : rows) {
            long total = r.msRead + r.msDecode + r.msOps + r.msStitch + r.msEncode + r.msWrite;
            long pixels = (long) r.width * r.height;
            boolean ok = ManifestRow.OK.equals(r.status);
            out.append("<tr class=\"").append(esc(r.status)).append("\">");
            text(r.relative, true);
            out.append("<td><span class=\"st ").append(esc(r.status)).append("\">").append(esc(r.status)).append("</span></td>");
            text(r.format, false);
            out.append("<td class=\"n\" data-v=\"").append(pixels).append("\">")
                    .append(pixels > 0 ? r.width + "&times;" + r.height : "").append("</td>");
            number(r.tiles, String.valueOf(r.tiles));
            number(r.size, bytes(r.size));
            number(ok ? r.bytesOut : 0, ok ? bytes(r.bytesOut) : "");
            number(r.msRead, String.valueOf(r.msRead));
            number(r.msDecode, String.valueOf(r.msDecode));
            number(r.msOps, String.valueOf(r.msOps));
            number(r.msStitch, String.valueOf(r.msStitch));
            number(r.msEncode, String.valueOf(r.msEncode));
            number(r.msWrite, String.valueOf(r.msWrite));
            number(total, String.valueOf(total));
            String note = r.error != null ? r.error : r.notes;
            out.append("<td class=\"").append(r.error != null ? "error" : "muted").append("\">")
                    .append(esc(note == null ? "" : note)).append("</td>");
            out.append("</tr>\n");
        }
        out.append("</tbody>\n</table>\n</div>\n");
        if (all > rows.size()) {
            out.append("<p class=\"note\" id=\"capped\">Showing the first ").append(rows.size()).append(" of ").append(all)
                    .append(" images by path. The manifest has every row.</p>\n");
        }
        out.append("</section>\n");
    }

    private void text(String v, boolean code) {
        String e = esc(v == null ? "" : v);
        out.append("<td>").append(code ? "<code>" + e + "</code>" : e).append("</td>");
    }

    private void number(long sortValue, String shown) {
        out.append("<td class=\"n\" data-v=\"").append(sortValue).append("\">").append(shown).append("</td>");
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&':
                    sb.append("&amp;");
                    break;
                case '<':
                    sb.append("&lt;");
                    break;
                case '>':
                    sb.append("&gt;");
                    break;
                case '"':
                    sb.append("&quot;");
                    break;
                case '\'':
                    sb.append("&#39;");
                    break;
                default:
                    sb.append(c);
            }
        }
        return sb.toString();
    }

    static String num(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v)
                : v >= 10 ? String.format(Locale.ROOT, "%.1f", v)
                : v >= 0.1 || v == 0 ? String.format(Locale.ROOT, "%.2f", v) : String.format(Locale.ROOT, "%.3f", v);
    }

    static String bytes(long b) {
        if (b < 1024) {
            return b + " B";
        }
        String[] units = {"KB", "MB", "GB", "TB"};
        double v = b;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, v >= 100 ? "%.0f %s" : "%.1f %s", v, units[u]);
    }

    static String duration(double seconds) {
        if (seconds < 60) {
            return String.format(Locale.ROOT, seconds < 10 ? "%.1f s" : "%.0f s", seconds);
        }
        long t = Math.round(seconds);
        return t >= 3600 ? String.format(Locale.ROOT, "%d h %02d min", t / 3600, (t % 3600) / 60)
                : String.format(Locale.ROOT, "%d min %02d s", t / 60, t % 60);
    }

    private static final String CSS = String.join("\n",
            ":root{--fg:#1d2330;--muted:#6b7280;--line:#e3e6ec;--bg:#f6f7f9;--ok:#16794c;--okbg:#e5f5ec;"
                    + "--warn:#9a5b00;--warnbg:#fff3dc;--bad:#b42318;--badbg:#fdecea;--accent:#3563c9}",
            "*{box-sizing:border-box}",
            "body{margin:0;padding:24px 32px 48px;font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;"
                    + "color:var(--fg);background:var(--bg)}",
            "h1{font-size:22px;margin:0 0 4px;display:flex;align-items:center;gap:12px;flex-wrap:wrap}",
            "h2{font-size:16px;margin:28px 0 10px}",
            "code{font:12.5px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;word-break:break-all}",
            ".sub,.muted{color:var(--muted)} .muted{font-weight:normal}",
            ".pill{font-size:14px;font-weight:600;padding:3px 12px;border-radius:999px}",
            ".pill.ok{color:var(--ok);background:var(--okbg)} .pill.warn{color:var(--warn);background:var(--warnbg)}",
            ".cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(136px,1fr));gap:10px;margin-top:18px}",
            ".card{background:#fff;border:1px solid var(--line);border-radius:8px;padding:12px 14px}",
            ".card .v{font-size:19px;font-weight:600;white-space:nowrap} .card .k{color:var(--muted);font-size:12px;white-space:nowrap}",
            ".card.ok .v{color:var(--ok)} .card.bad{border-color:#f3b8b2;background:var(--badbg)} .card.bad .v{color:var(--bad)}",
            "table{border-collapse:collapse;background:#fff;border:1px solid var(--line);border-radius:8px}",
            "th,td{padding:5px 10px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}",
            "table.kv th{color:var(--muted);font-weight:normal;white-space:nowrap;width:1%}",
            "table.list{width:100%} table.list thead th{background:#fafbfc;font-weight:600;white-space:nowrap;position:sticky;top:0}",
            "td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}",
            "table.list td{font-size:13px} table.list td code{word-break:normal;white-space:nowrap}",
            "#images-table td:last-child{min-width:280px}",
            "td.error{color:var(--bad)} tr.failed td:first-child{box-shadow:inset 3px 0 var(--bad)}",
            ".st{font-size:12px;padding:1px 8px;border-radius:999px;background:var(--okbg);color:var(--ok)}",
            ".st.failed{background:var(--badbg);color:var(--bad)} .st.skipped{background:#eef0f3;color:var(--muted)}",
            "table.sortable th{cursor:pointer;user-select:none} table.sortable th:hover{color:var(--accent)}",
            "th[aria-sort=ascending]::after{content:' \\25B2';font-size:10px} th[aria-sort=descending]::after{content:' \\25BC';font-size:10px}",
            ".scroll{max-height:640px;overflow:auto;border-radius:8px}",
            ".bars{background:#fff;border:1px solid var(--line);border-radius:8px;padding:10px 14px;max-width:760px}",
            ".bar{display:grid;grid-template-columns:70px 1fr 150px;align-items:center;gap:10px;margin:4px 0}",
            ".bar .track{height:10px;background:#eef0f3;border-radius:5px;overflow:hidden} .bar .fill{display:block;height:100%;background:var(--accent)}",
            ".bar .v{color:var(--muted);font-size:12px;font-variant-numeric:tabular-nums}",
            ".grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(340px,1fr));gap:12px}",
            "figure{margin:0;background:#fff;border:1px solid var(--line);border-radius:8px;padding:8px}",
            ".pair{display:flex;gap:6px;justify-content:center;align-items:center;min-height:100px}",
            ".thumb{max-width:160px;max-height:160px;border-radius:4px;background:#eef0f3}",
            "figcaption{font-size:12px;color:var(--muted);margin-top:6px;text-align:center;overflow:hidden;"
                    + "text-overflow:ellipsis;white-space:nowrap}",
            ".tools input{padding:6px 10px;border:1px solid var(--line);border-radius:6px;width:320px;font:inherit}",
            ".note{color:var(--warn)} footer{margin-top:32px;color:var(--muted);font-size:12px}",
            "a{color:var(--accent)}");

    /** Sorting and filtering, in plain DOM calls (no library, works from file://). */
    private static final String SCRIPT = String.join("\n",
            "(function(){",
            "  var table=document.getElementById('images-table'); if(!table) return;",
            "  var heads=table.tHead.rows[0].cells, body=table.tBodies[0];",
            "  function cellKey(td){var v=td.getAttribute('data-v'); return v===null?td.textContent:v;}",
            "  function column(key){for(var i=0;i<heads.length;i++){if(heads[i].getAttribute('data-key')===key) return i;} return -1;}",
            "  function sortBy(key,desc){",
            "    var i=column(key); if(i<0) return;",
            "    var num=heads[i].getAttribute('data-type')==='num';",
            "    var rows=Array.prototype.slice.call(body.rows);",
            "    rows.sort(function(a,b){var x=cellKey(a.cells[i]),y=cellKey(b.cells[i]);",
            "      var c=num?(parseFloat(x)||0)-(parseFloat(y)||0):x.localeCompare(y); return desc?-c:c;});",
            "    for(var r=0;r<rows.length;r++) body.appendChild(rows[r]);",
            "    for(var h=0;h<heads.length;h++) heads[h].removeAttribute('aria-sort');",
            "    heads[i].setAttribute('aria-sort',desc?'descending':'ascending');",
            "    table.setAttribute('data-sorted',(desc?'-':'')+key);",
            "  }",
            "  for(var h=0;h<heads.length;h++){heads[h].addEventListener('click',function(){",
            "    var key=this.getAttribute('data-key'), desc=this.getAttribute('aria-sort')==='ascending';",
            "    sortBy(key,desc); var hash='#sort='+(desc?'-':'')+key;",
            "    try{history.replaceState(null,'',hash);}catch(e){location.hash=hash;}",
            "  });}",
            "  var m=/sort=(-?)([a-z_]+)/.exec(location.hash); if(m) sortBy(m[2],m[1]==='-');",
            "  var filter=document.getElementById('filter');",
            "  if(filter) filter.addEventListener('input',function(){",
            "    var q=filter.value.toLowerCase();",
            "    for(var r=0;r<body.rows.length;r++){var row=body.rows[r];",
            "      row.style.display=!q||row.textContent.toLowerCase().indexOf(q)>=0?'':'none';}",
            "  });",
            "})();");
}
