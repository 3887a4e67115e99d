package io.tilespark.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FailureBudgetTest {

    @Test
    void countBudgetFailsTheRunWhenFailuresPassIt() {
        FailureBudget b = FailureBudget.parse("2");
        assertFalse(b.exceeded(2, 1000));
        assertTrue(b.exceeded(3, 1000));
        assertTrue(FailureBudget.parse("0").exceeded(1, 1));
    }

    @Test
    void percentBudgetIsOfTheImagesTried() {
        FailureBudget b = FailureBudget.parse("5%");
        assertEquals(5, b.allowed(100));
        assertFalse(b.exceeded(5, 100));
        assertTrue(b.exceeded(6, 100));
        assertEquals(0, b.allowed(19)); // 5% of 19 is 0.95: no failure allowed
        // skipped inputs were not tried, so they do not widen the budget
        RunResult r = RunResult.of(1000, 90, 6, 904, "m");
        assertEquals("6 of 96 images failed, more than --max-failures 5% allows", b.verdict(r));
    }

    @Test
    void unlimitedByDefault() {
        assertTrue(FailureBudget.UNLIMITED.unlimited());
        assertNull(FailureBudget.parse(null).verdict(RunResult.of(10, 0, 10, 0, "m")));
    }

    @Test
    void nonsenseIsRefused() {
        for (String s : new String[] {"-1", "abc", "101%", "-3%", "5%%", "1.5"}) {
            assertThrows(IllegalArgumentException.class, () -> FailureBudget.parse(s), s);
        }
    }
}
