package io.tilespark.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The "server status" view, rendered from the master's /json/ endpoint (shape of Spark 4.1's). */
class ClusterStatusTest {

    private static final String MASTER = "{\"url\":\"spark://127.0.0.1:7077\",\"workers\":["
            + "{\"id\":\"worker-2\",\"host\":\"127.0.0.2\",\"port\":40285,\"webuiaddress\":\"http://127.0.0.2:8082\","
            + "\"cores\":1,\"coresused\":1,\"coresfree\":0,\"memory\":2048,\"memoryused\":1024,\"memoryfree\":1024,"
            + "\"state\":\"ALIVE\",\"lastheartbeat\":1795750030427},"
            + "{\"id\":\"worker-1\",\"host\":\"127.0.0.1\",\"port\":37237,\"webuiaddress\":\"http://127.0.0.1:8081\","
            + "\"cores\":1,\"coresused\":0,\"coresfree\":1,\"memory\":2048,\"memoryused\":0,\"memoryfree\":2048,"
            + "\"state\":\"DEAD\",\"lastheartbeat\":1795750000000}],"
            + "\"aliveworkers\":1,\"cores\":1,\"coresused\":1,\"memory\":2048,\"memoryused\":1024,"
            + "\"activeapps\":[{\"id\":\"app-20261127034005-0000\",\"starttime\":1795750000000,\"name\":\"tilespark filter\","
            + "\"cores\":1,\"user\":\"root\",\"memoryperexecutor\":1024,\"state\":\"RUNNING\",\"duration\":95000}],"
            + "\"completedapps\":[{\"id\":\"app-1\",\"starttime\":1,\"name\":\"old\",\"state\":\"FINISHED\"},"
            + "{\"id\":\"app-2\",\"starttime\":2,\"name\":\"newer\",\"state\":\"KILLED\"}],"
            + "\"activedrivers\":[],\"completeddrivers\":[],\"status\":\"ALIVE\"}";

    @Test
    void showsEachWorkerAliveOrDeadWithCoresAndMemoryAndTheRunningApplications() throws Exception {
        JsonNode m = new ObjectMapper().readTree(MASTER);
        String text = ClusterStatus.render(m, "http://127.0.0.1:8080", "http://127.0.0.1:18080", 1795750095000L);
        String[] lines = text.split("\n");
        assertEquals("master  spark://127.0.0.1:7077  ALIVE  ui http://127.0.0.1:8080  history http://127.0.0.1:18080",
                lines[0]);
        assertEquals("workers 1 alive, 1 not alive; cores 1 (1 used); memory 2.0 GiB (1.0 GiB used)", lines[1]);
        // Sorted by host: the dead worker on 127.0.0.1 first.
        assertTrue(lines[2].startsWith("  DEAD    127.0.0.1:37237") && lines[2].contains("cores 0/1 used")
                && lines[2].contains("memory 0 MiB/2.0 GiB used"), lines[2]);
        assertTrue(lines[3].startsWith("  ALIVE   127.0.0.2:40285") && lines[3].contains("cores 1/1 used")
                && lines[3].contains("memory 1.0 GiB/2.0 GiB used") && lines[3].contains("http://127.0.0.2:8082"),
                lines[3]);
        assertEquals("running applications: 1", lines[4]);
        assertTrue(lines[5].contains("app-20261127034005-0000") && lines[5].contains("RUNNING")
                && lines[5].contains("up 1 min 35 s") && lines[5].endsWith("tilespark filter"), lines[5]);
        assertEquals("completed applications: 2 (latest app-2 KILLED, newer)", lines[6]);
    }

    @Test
    void unreachableMasterExitsOneAndSaysSo() {
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        int code = ClusterStatus.run(new String[] {"print", "http://127.0.0.1:1"}, new java.io.PrintStream(buf, true));
        assertEquals(1, code);
        assertTrue(buf.toString().startsWith("master: not reachable at http://127.0.0.1:1"), buf.toString());
    }

    @Test
    void wrongArgumentsExitTwo() {
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        assertEquals(2, ClusterStatus.run(new String[] {"frobnicate"}, new java.io.PrintStream(buf, true)));
    }
}
