package io.tilespark.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The attempt budget the per-image guard relies on, as Spark computes it for each kind of master. */
class AttemptsTest {

    @Test
    void localModeWithoutAFailureCountRunsEachTaskOnce() {
        assertEquals(1, Attempts.allowed("local", null));
        assertEquals(1, Attempts.allowed("local[2]", "8"));
        assertEquals(1, Attempts.allowed("local[*]", null));
    }

    @Test
    void localModeWithAFailureCountAllowsThatManyAttempts() {
        assertEquals(3, Attempts.allowed("local[2,3]", null));
        assertEquals(5, Attempts.allowed("local[*, 5]", "2"));
    }

    @Test
    void clusterMastersUseSparkTaskMaxFailuresWithSparksDefaultOfFour() {
        assertEquals(4, Attempts.allowed("spark://127.0.0.1:7077", null));
        assertEquals(4, Attempts.allowed("yarn", ""));
        assertEquals(2, Attempts.allowed("yarn", "2"));
        assertEquals(6, Attempts.allowed("local-cluster[2,1,1024]", "6"));
    }

    @Test
    void outsideSparkEveryCallIsTheLastAttemptSoErrorsAreRecordedNotRethrown() {
        String msg = Attempts.absorbOnLastAttempt(new FaultInjection.InjectedFault("boom"));
        assertTrue(msg.contains("boom"), msg);
    }

    @Test
    void outOfMemoryIsNeverAbsorbed() {
        OutOfMemoryError oom = new OutOfMemoryError("heap");
        assertSame(oom, assertThrows(OutOfMemoryError.class, () -> Attempts.absorbOnLastAttempt(oom)));
    }

    @Test
    void faultInjectionIsInertOutsideATask() {
        FaultInjection.at(FaultInjection.Point.READ, "anything.jpg");
        FaultInjection.at(FaultInjection.Point.WRITE, "anything.jpg");
    }
}
