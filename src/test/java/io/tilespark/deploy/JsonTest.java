package io.tilespark.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The little JSON codec, checked against Jackson as the reference reader and writer. */
class JsonTest {

    @Test
    void writtenStringsReadBackIdenticallyInJackson() throws Exception {
        String nasty = "quote \" backslash \\ slash / newline \n tab \t bell \u0007 nul \u0000 é 漢 😀";
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("s", nasty);
        m.put("n", 42L);
        m.put("b", true);
        m.put("z", null);
        m.put("list", List.of("a", "b"));
        String json = Json.write(m);

        Map<String, Object> back = FakeLivy.JSON.readValue(json, new TypeReference<Map<String, Object>>() { });
        assertEquals(nasty, back.get("s"));
        assertEquals(42, back.get("n"));
        assertEquals(true, back.get("b"));
        assertTrue(back.containsKey("z"));
        assertNull(back.get("z"));
        assertEquals(List.of("a", "b"), back.get("list"));
    }

    @Test
    void readsWhatJacksonWrites() throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", 12);
        m.put("big", 12345678901234L);
        m.put("ratio", 0.25);
        m.put("state", "running");
        m.put("appInfo", Map.of("sparkUiUrl", "https://c.azurehdinsight.net/yarnui/hn/proxy/application_1_2/"));
        m.put("log", List.of("line \"1\"", "ünïcode ✓"));
        m.put("nothing", null);
        String json = FakeLivy.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(m);

        Map<String, Object> back = Json.parseObject(json);
        assertEquals(12L, back.get("id"));
        assertEquals(12345678901234L, back.get("big"));
        assertEquals(new BigDecimal("0.25"), back.get("ratio"));
        assertEquals("running", back.get("state"));
        assertEquals("https://c.azurehdinsight.net/yarnui/hn/proxy/application_1_2/",
                Json.string(Json.object(back, "appInfo"), "sparkUiUrl"));
        assertEquals(List.of("line \"1\"", "ünïcode ✓"), Json.strings(back, "log"));
        assertTrue(back.containsKey("nothing"));
    }

    @Test
    void unicodeEscapesAndSurrogatePairsDecode() {
        assertEquals("é😀", Json.parse("\"\\u00e9\\ud83d\\ude00\""));
    }

    @Test
    void malformedInputNamesTheOffset() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\": tru}"));
        assertTrue(e.getMessage().contains("offset 6"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\":1} trailing"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("[1,2"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("\"unterminated"));
        assertThrows(IllegalArgumentException.class, () -> Json.parseObject("[1]"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("<html>Bad Gateway</html>"));
    }
}
