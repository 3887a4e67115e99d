package io.tilespark.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Collections;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The progress line's wording and arithmetic, and how its mode is chosen. */
class ProgressLineTest {

    private static final String DOT = " \u00b7 ";

    @Test
    void lineShowsImagesMegapixelsRateAndEta() {
        // 37 of 120 done in 13.3 s with 412 MP: 31 MP/s, and 83 more images at 13.3/37 s each = 30 s.
        assertEquals("images 37/120 \u00b7 412 MP \u00b7 31 MP/s \u00b7 ETA 0:30",
                ProgressListener.line(37, 120, 0, 412_000, 13_300_000_000L, DOT));
    }

    @Test
    void failedImagesAreNamedAndSmallRunsShowADecimal() {
        assertEquals("images 2/7 (1 failed) | 0.5 MP | 0.1 MP/s | ETA 0:13",
                ProgressListener.line(2, 7, 1, 480, 5_000_000_000L, " | "));
    }

    @Test
    void finishedRunSaysHowLongItTook() {
        assertEquals("images 7/7 \u00b7 14 MP \u00b7 0.3 MP/s \u00b7 done in 0:51",
                ProgressListener.line(7, 7, 0, 13_865, 51_000_000_000L, DOT));
    }

    @Test
    void nothingDoneYetHasNoEta() {
        assertEquals("images 0/120 \u00b7 0.0 MP \u00b7 0.0 MP/s \u00b7 ETA -",
                ProgressListener.line(0, 120, 0, 0, 2_000_000_000L, DOT));
    }

    @Test
    void clockShowsHoursOnlyWhenNeeded() {
        assertEquals("0:42", ProgressListener.clock(42));
        assertEquals("10:00", ProgressListener.clock(600));
        assertEquals("1:02:03", ProgressListener.clock(3723));
    }

    @Test
    void quietWinsOverEverythingAndTheEnvironmentOverridesDetection() {
        Map<String, String> none = Collections.emptyMap();
        assertEquals(ProgressListener.Mode.OFF, ProgressListener.mode(true, Map.of(ProgressListener.ENV, "tty"), true));
        assertEquals(ProgressListener.Mode.TTY, ProgressListener.mode(false, none, true));
        assertEquals(ProgressListener.Mode.LINES, ProgressListener.mode(false, none, false));
        assertEquals(ProgressListener.Mode.TTY, ProgressListener.mode(false, Map.of(ProgressListener.ENV, "tty"), false));
        assertEquals(ProgressListener.Mode.LINES, ProgressListener.mode(false, Map.of(ProgressListener.ENV, "Lines"), true));
        assertEquals(ProgressListener.Mode.OFF, ProgressListener.mode(false, Map.of(ProgressListener.ENV, "off"), true));
        assertEquals(ProgressListener.Mode.TTY, ProgressListener.mode(false, Map.of(ProgressListener.ENV, "bogus"), true));
    }
}
