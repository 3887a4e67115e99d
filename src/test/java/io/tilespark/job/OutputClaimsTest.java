package io.tilespark.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.tilespark.ops.Plan;

/** Two inputs never write one output: the check made on the driver before reading anything. */
class OutputClaimsTest {

    private static List<InputFile> files(String... rels) {
        List<InputFile> l = new ArrayList<>();
        for (String r : rels) {
            l.add(new InputFile(l.size(), "file:/in/" + r, r, 10, 20));
        }
        return l;
    }

    private static OutputClaims.Result check(String format, String... rels) {
        JobSpec spec = JobSpec.builder("in", "out", Plan.parse("grey")).format(format).build();
        return OutputClaims.check(files(rels), spec);
    }

    private static List<String> kept(OutputClaims.Result r) {
        return r.kept.stream().map(f -> f.relative).collect(Collectors.toList());
    }

    @Test
    void theInputNamedLikeTheOutputKeepsIt() {
        OutputClaims.Result r = check("png", "photo.bmp", "photo.jpg", "photo.png", "other.jpg");
        assertEquals(List.of("photo.png", "other.jpg"), kept(r));
        assertEquals(2, r.refused.size());
        assertEquals("photo.bmp", r.refused.get(0).relative);
        assertEquals("failed", r.refused.get(0).status);
        assertEquals("output path 'photo.png' is also the output of 'photo.png', which keeps it; rename one of the inputs",
                r.refused.get(0).error);
    }

    @Test
    void otherwiseTheFirstInListingOrderKeepsIt() {
        OutputClaims.Result r = check("jpg", "a/x.png", "a/x.tif", "b/x.png");
        assertEquals(List.of("a/x.png", "b/x.png"), kept(r));
        assertTrue(r.refused.get(0).error.contains("'a/x.jpg' is also the output of 'a/x.png'"));
    }

    @Test
    void sameFormatCollidesOnlyWhereTheFormatChanges() {
        assertEquals(0, check("same", "x.jpg", "x.png", "x.tif").refused.size());
        OutputClaims.Result gif = check("same", "x.gif", "x.png");
        assertEquals(List.of("x.png"), kept(gif));
        assertEquals(0, check("same", "README", "README.png").refused.size(), "no claim without an extension");
    }
}
