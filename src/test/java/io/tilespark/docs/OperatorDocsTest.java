package io.tilespark.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import org.junit.jupiter.api.Test;

import io.tilespark.ops.Operators;
import io.tilespark.tools.OperatorDocs;

/** docs/operators.md is generated from the registry: it must list every operator and be current. */
class OperatorDocsTest {

    private static final Path PAGE = Paths.get("docs/operators.md");

    @Test
    void everyOperatorHasARowAndAThumbnail() throws Exception {
        String page = new String(Files.readAllBytes(PAGE), StandardCharsets.UTF_8);
        for (Operators.Family f : Operators.families()) {
            assertTrue(page.contains("| `" + f.usage + "` |"), "docs/operators.md lacks " + f.usage
                    + "; run docs/generate-operators.sh");
            if (OperatorDocs.hasThumbnail(f)) {
                assertTrue(Files.size(Paths.get("docs/images/ops/" + f.name + ".jpg")) > 1000,
                        "missing thumbnail for " + f.name + "; run docs/generate-operators.sh");
            }
        }
    }

    @Test
    void committedPageEqualsTheGeneratedOne() throws Exception {
        String page = new String(Files.readAllBytes(PAGE), StandardCharsets.UTF_8);
        assertEquals(OperatorDocs.page(), page, "docs/operators.md is stale; run docs/generate-operators.sh");
    }
}
