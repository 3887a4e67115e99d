package io.tilespark.job;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.hadoop.util.VersionInfo;
import org.junit.jupiter.api.Test;

import io.tilespark.cv.OpenCv;

class HadoopVersionGuardTest {

    @Test
    void bundledConnectorOnAnotherHadoopReleaseIsRefusedWithBothVersionsNamed() {
        String p = HadoopVersionGuard.problem("compile", "3.4.2", "3.3.4");
        assertNotNull(p);
        assertTrue(p.contains("hadoop-azure 3.4.2") && p.contains("Hadoop 3.3.4"), p);
        assertTrue(p.contains("-Phdinsight"), p);
        assertNotNull(HadoopVersionGuard.problem("compile", "3.4.2", "3.4.1"), "patch releases differ too");
        assertNotNull(HadoopVersionGuard.problem("compile", "3.4.2", "3.5.0"));
    }

    @Test
    void sameReleaseIsAcceptedWhateverItsSuffix() {
        assertNull(HadoopVersionGuard.problem("compile", "3.4.2", "3.4.2"));
        assertNull(HadoopVersionGuard.problem("compile", "3.4.2", "3.4.2-amzn-0"));
        assertNull(HadoopVersionGuard.problem("compile", "3.3.4", "3.3.4.5.1.0.123"));
    }

    @Test
    void aJarThatUsesTheClustersConnectorIsNeverRefused() {
        assertNull(HadoopVersionGuard.problem("provided", "3.3.4", "3.4.2"));
        assertNull(HadoopVersionGuard.problem("unknown", "3.4.2", "3.3.4"), "unfiltered build properties");
    }

    @Test
    void unreadableVersionsDoNotBlockTheRun() {
        assertNull(HadoopVersionGuard.problem("compile", "unknown", "3.3.4"));
        assertNull(HadoopVersionGuard.problem("compile", "3.4.2", "Unknown"));
        assertEquals("3.3.4", HadoopVersionGuard.release("3.3.4.5.1.0.123"));
        assertNull(HadoopVersionGuard.release("Unknown"));
    }

    @Test
    void thisBuildPassesItsOwnGuardAndDeclaresTheConnectorScopeOfItsTarget() {
        String target = System.getProperty("tilespark.target", "spark4");
        String scope = OpenCv.buildProperty("hadoopAzureScope");
        assertEquals("hdinsight".equals(target) ? "provided" : "compile", scope, "build property for " + target);
        if ("compile".equals(scope)) {
            assertEquals(HadoopVersionGuard.release(OpenCv.buildProperty("hadoop")),
                    HadoopVersionGuard.release(VersionInfo.getVersion()), "the bundled connector matches the test Hadoop");
        }
        assertDoesNotThrow(HadoopVersionGuard::check);
    }
}
