package io.tilespark.job;

import static io.tilespark.testing.Manifest.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.tilespark.cv.OpenCv;
import io.tilespark.ops.Plan;
import io.tilespark.testing.Jobs;
import io.tilespark.testing.LocalCluster;
import io.tilespark.testing.Manifest;

/**
 * A file whose decoding kills the executor JVM (as a native decoder crash does) costs two
 * executors and one failed row, not the job: the third attempt finds the marker the second left
 * and refuses to decode that file again.
 */
@Tag("cluster")
class DecodeQuarantineClusterTest {

    @TempDir
    Path tmp;

    @Test
    void aFileThatKillsItsExecutorIsFailedAndTheJobFinishes() throws Exception {
        OpenCv.load();
        Path in = tmp.resolve("in");
        Path out = tmp.resolve("out");
        for (String name : new String[] {"a.png", "b.png", "killer.png", "d.png"}) {
            Jobs.write(in, name, Jobs.image(".png", 40, 50, 3, name.hashCode()));
        }
        RunResult r;
        int lost;
        try (LocalCluster cluster = LocalCluster.start(2, 1024, Map.of(DecodeQuarantine.DIE_ENV, "killer.png"))) {
            JobSpec spec = JobSpec.builder(in.toString(), out.toString(), Plan.parse("blur:3")).build();
            r = new TileJob(cluster.spark, spec).run();
            lost = cluster.executorsRemoved();
        }
        assertEquals(3, r.ok);
        assertEquals(1, r.failed);
        assertTrue(lost >= 2, "the killer file took down " + lost + " executors");
        Map<String, JsonNode> rows = Manifest.read(out).byRelative();
        assertEquals(4, rows.size());
        assertEquals("decoding this file took its executor down on an earlier attempt (a native decoder crash "
                + "or out of memory); not decoded again", text(rows.get("killer.png"), "error"));
        for (String ok : new String[] {"a.png", "b.png", "d.png"}) {
            assertEquals("ok", text(rows.get(ok), "status"), ok);
            assertTrue(Files.exists(out.resolve(ok)));
        }
        assertTrue(!Files.exists(out.resolve("_tilespark/decoding")), "markers are cleaned up");
    }
}
