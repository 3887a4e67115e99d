package io.tilespark.tiling;

import java.io.Serializable;

/** An axis-aligned pixel rectangle: x, y of the top-left corner, width and height. Immutable. */
public final class Rect implements Serializable {
    private static final long serialVersionUID = 1L;

    public final int x;
    public final int y;
    public final int width;
    public final int height;

    private Rect(int x, int y, int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("rectangle must be non-empty, got " + width + "x" + height);
        }
        this.x = x;
        this.y = y;
        this.width = width;
        this.height = height;
    }

    public static Rect of(int x, int y, int width, int height) {
        return new Rect(x, y, width, height);
    }

    public int right() {
        return x + width;
    }

    public int bottom() {
        return y + height;
    }

    public long area() {
        return (long) width * height;
    }

    /** This rectangle grown by {@code by} on every side, then clipped to {@code bounds}. */
    public Rect grownWithin(int by, Rect bounds) {
        int nx = Math.max(bounds.x, x - by);
        int ny = Math.max(bounds.y, y - by);
        int nr = Math.min(bounds.right(), right() + by);
        int nb = Math.min(bounds.bottom(), bottom() + by);
        return new Rect(nx, ny, nr - nx, nb - ny);
    }

    /** This rectangle in the coordinates of {@code outer}, which must contain it. */
    public Rect relativeTo(Rect outer) {
        if (x < outer.x || y < outer.y || right() > outer.right() || bottom() > outer.bottom()) {
            throw new IllegalArgumentException(this + " is not inside " + outer);
        }
        return new Rect(x - outer.x, y - outer.y, width, height);
    }

    public org.opencv.core.Rect toCv() {
        return new org.opencv.core.Rect(x, y, width, height);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Rect)) {
            return false;
        }
        Rect r = (Rect) o;
        return x == r.x && y == r.y && width == r.width && height == r.height;
    }

    @Override
    public int hashCode() {
        return ((x * 31 + y) * 31 + width) * 31 + height;
    }

    @Override
    public String toString() {
        return width + "x" + height + "+" + x + "+" + y;
    }
}
