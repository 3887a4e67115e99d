package io.tilespark.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The analysis operators' grammar, and where they may stand in a chain. */
class AnalysisParsingTest {

    @Test
    void optionalCountAndDrawTakeTheirDefaults() {
        FeatureOps.Orb orb = (FeatureOps.Orb) Operators.parse("orb");
        assertEquals(500, orb.max);
        assertFalse(orb.draws());
        assertEquals("orb:500", orb.spec());
        FeatureOps.Orb drawn = (FeatureOps.Orb) Operators.parse("ORB:1200:draw");
        assertEquals(1200, drawn.max);
        assertTrue(drawn.draws());
        assertEquals("orb:1200:draw", drawn.spec());
        assertEquals("orb:1200", drawn.analyzer());
        FeatureOps.Orb drawnDefault = (FeatureOps.Orb) Operators.parse("orb:draw");
        assertEquals(500, drawnDefault.max);
        assertTrue(drawnDefault.draws());
        FeatureOps.Corners c = (FeatureOps.Corners) Operators.parse("corners:40");
        assertEquals(40, c.max);
        assertEquals("corners:40", c.analyzer());
        assertEquals("stats", Operators.parse("stats").spec());
    }

    @Test
    void detectTakesEverythingAfterTheEqualsSignAsTheUriColonsAndSlashesIncluded() {
        String uri = "abfss://models@acct.dfs.core.windows.net/cascades/face:v2.xml";
        Detect d = (Detect) Operators.parse(" detect:faces=" + uri + " ");
        assertEquals("faces", d.name());
        assertEquals(uri, d.modelUri());
        assertFalse(d.draws());
        assertEquals("detect:faces", d.analyzer());
        assertEquals("detect:faces=" + uri, d.spec());

        Detect drawn = (Detect) Operators.parse("detect:eyes:draw=file:/usr/share/opencv4/haarcascades/haarcascade_eye.xml");
        assertTrue(drawn.draws());
        assertEquals("file:/usr/share/opencv4/haarcascades/haarcascade_eye.xml", drawn.modelUri());
        assertEquals(drawn.spec(), Operators.parse(drawn.spec()).spec());
    }

    @Test
    void analyzersCloseTheChainAndChangeNoPixelsOfThePlan() {
        Plan p = Plan.parse("grey,blur:3,equalize,detect:faces=file:/m.xml,orb:300:draw,stats");
        assertEquals("grey,blur:3,equalize,detect:faces=file:/m.xml,orb:300:draw,stats", p.spec());
        List<Analyzer> a = p.analysis();
        assertEquals(3, a.size());
        assertInstanceOf(Detect.class, a.get(0));
        assertEquals("orb:300", a.get(1).analyzer());
        assertEquals("stats", a.get(2).analyzer());
        assertEquals(1, p.halo(), "analyzers add no halo");
        assertTrue(p.tiles());
        assertTrue(p.hasWholeImageTail(), "equalize still runs on the whole image");
        assertFalse(Plan.parse("blur:3,stats").hasWholeImageTail(), "analyzers are not part of the pixel tail");
        assertFalse(Plan.parse("stats").tiles(), "an analysis-only chain has nothing to tile");
        assertTrue(Plan.parse("grey,blur:3").analysis().isEmpty());
    }

    @Test
    void helpSaysAnalysisOperatorsRunOnWholeImages() {
        int analysis = 0;
        for (Operators.Family f : Operators.families()) {
            if (f.analysis) {
                analysis++;
                assertEquals("whole image (analysis)", f.tiling(), f.name);
            } else {
                assertFalse(f.tiling().contains("analysis"), f.name);
            }
        }
        assertEquals(4, analysis);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "orb,blur:3|image operator 'blur:3' follows analysis operator 'orb:500'",
        "stats,grey,orb|image operator 'grey' follows analysis operator 'stats'",
        "orb:500,orb|analysis operator 'orb:500' appears twice",
        "detect:a=file:/x.xml,detect:a:draw=file:/y.xml|analysis operator 'detect:a' appears twice",
        "orb:0|operator 'orb' needs a value in 1..100000, got 0",
        "orb:many|operator 'orb' needs an integer, got 'many'",
        "orb:5:6|operator 'orb' expects at most 1 number and an optional ':draw', got '5:6'",
        "orb:draw:5|operator 'orb' expects at most 1 number and an optional ':draw', got 'draw:5'",
        "corners:200000|operator 'corners' needs a value in 1..100000, got 200000",
        "stats:16|operator 'stats' expects 0 parameters, got 1",
        "detect:faces|operator 'detect' needs a model URI after '='",
        "detect:faces=|operator 'detect' needs a model URI after '='",
        "detect=file:/m.xml|operator 'detect' expects a name, an optional ':draw' and '=URI', got 0 parameters",
        "detect:my faces=file:/m.xml|operator 'detect' needs a name of 1..40 letters, digits, '_' or '-', got 'my faces'",
        "detect:faces=https://acct.blob.core.windows.net/m/f.xml?sig=abc|takes a URI without '?' or '#'",
        "blur=5|operator 'blur' takes no '=' value, got '=5'",
    })
    void badAnalysisChainsAreUsageErrorsThatSayWhy(String chain, String message) {
        UsageException e = assertThrows(UsageException.class, () -> Plan.parse(chain));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }
}
