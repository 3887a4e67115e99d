package io.tilespark.tiling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

class TileGridTest {

    @Test
    void coresPartitionTheImageExactlyOnce() {
        Random r = new Random(3);
        for (int c = 0; c < 200; c++) {
            int w = 1 + r.nextInt(400);
            int h = 1 + r.nextInt(400);
            int tile = 16 + r.nextInt(100);
            TileGrid g = TileGrid.of(w, h, tile, r.nextInt(20));
            int[] cover = new int[w * h];
            for (int i = 0; i < g.count(); i++) {
                Rect core = g.core(i);
                assertTrue(core.width <= tile && core.height <= tile);
                for (int y = core.y; y < core.bottom(); y++) {
                    for (int x = core.x; x < core.right(); x++) {
                        cover[y * w + x]++;
                    }
                }
            }
            for (int v : cover) {
                assertEquals(1, v, "every pixel belongs to exactly one core");
            }
            assertEquals(((w + tile - 1) / tile) * ((h + tile - 1) / tile), g.count());
        }
    }

    @Test
    void regionIsTheCoreGrownByTheHaloAndClippedAtTrueEdges() {
        TileGrid g = TileGrid.of(100, 70, 32, 5);
        assertEquals(Rect.of(0, 0, 32, 32), g.core(0));
        assertEquals(Rect.of(0, 0, 37, 37), g.region(0));
        assertEquals(Rect.of(27, 0, 42, 37), g.region(1));
        // last column: 100 = 3*32 + 4, so its core is 4 px wide and the halo is clipped on the right
        assertEquals(Rect.of(96, 64, 4, 6), g.core(g.count() - 1));
        assertEquals(Rect.of(91, 59, 9, 11), g.region(g.count() - 1));
    }

    @Test
    void onePixelImageIsOneTile() {
        TileGrid g = TileGrid.of(1, 1, 16, 10);
        assertEquals(1, g.count());
        assertEquals(Rect.of(0, 0, 1, 1), g.region(0));
    }

    @Test
    void invalidGeometryIsRejectedWithTheValueAndRange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TileGrid.of(10, 10, 8, 0));
        assertEquals("tile must be >= 16, got 8", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TileGrid.of(0, 10, 16, 0));
        assertThrows(IllegalArgumentException.class, () -> TileGrid.of(10, 10, 16, -1));
        assertThrows(IndexOutOfBoundsException.class, () -> TileGrid.of(10, 10, 16, 0).core(1));
    }
}
