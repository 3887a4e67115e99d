package io.tilespark.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChainParsingTest {

    @Test
    void chainHaloIsTheSumOfItsTiledOperatorsHalos() {
        assertEquals(2 + 3 + 4, Plan.parse("blur:5,filter,canny:10:20").halo());
        assertEquals(3, Plan.parse("median:7").halo());
        assertEquals(0, Plan.parse("grey,invert,sepia").halo());
    }

    @Test
    void haloFollowsTheParameters() {
        assertEquals(0, Operators.parse("blur:1").halo());
        assertEquals(49, Operators.parse("blur:99").halo());
        assertEquals(4, Operators.parse("dilate:9").halo());
    }

    @Test
    void canonicalSpecRoundTrips() {
        Plan p = Plan.parse(" GREY , blur:5,canny:50:150.0,contrast:1.50 ");
        assertEquals("grey,blur:5,canny:50:150,contrast:1.5", p.spec());
        assertEquals(p.spec(), Plan.parse(p.spec()).spec());
    }

    @Test
    void chainIsTiledUpToItsFirstWholeImageOperator() {
        Plan p = Plan.parse("blur:3,equalize,blur:5");
        assertTrue(p.tiles());
        assertEquals(1, p.halo());
        assertTrue(p.hasWholeImageTail());
        Plan whole = Plan.parse("equalize,blur:3");
        assertFalse(whole.tiles());
        assertFalse(Plan.parse("blur:3,grey").hasWholeImageTail());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "blurr:5|unknown operator 'blurr'",
        "blur|operator 'blur' expects 1 parameter, got 0",
        "blur:4|needs an odd kernel size, got 4",
        "blur:x|needs an integer, got 'x'",
        "blur:101|needs a value in 1..99, got 101",
        "canny:200:100|LO must be <= HI",
        "grey:1|operator 'grey' expects 0 parameters, got 1",
        "grey,,blur:3|empty operator",
        "median:1|needs a value in 3..99, got 1",
        "contrast:-1|needs a value in 0..10, got -1",
    })
    void badChainsNameTheOperatorAndTheValidForm(String chain, String expected) {
        UsageException e = assertThrows(UsageException.class, () -> Plan.parse(chain));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void unknownOperatorListsEveryValidForm() {
        UsageException e = assertThrows(UsageException.class, () -> Plan.parse("nope"));
        for (Operators.Family f : Operators.families()) {
            assertTrue(e.getMessage().contains(f.usage), f.usage);
        }
    }

    @Test
    void emptyChainIsAUsageError() {
        UsageException e = assertThrows(UsageException.class, () -> Plan.parse(" "));
        assertTrue(e.getMessage().startsWith("--ops is empty"), e.getMessage());
    }
}
