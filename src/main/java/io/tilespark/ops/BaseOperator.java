package io.tilespark.ops;

/** Holds what every operator states about itself; subclasses only do the pixel work. */
abstract class BaseOperator implements Operator {
    private static final long serialVersionUID = 1L;

    private final String spec;
    private final int halo;
    private final Locality locality;

    BaseOperator(String spec, int halo, Locality locality) {
        this.spec = spec;
        this.halo = halo;
        this.locality = locality;
    }

    @Override
    public final String spec() {
        return spec;
    }

    @Override
    public final int halo() {
        return halo;
    }

    @Override
    public Locality locality() {
        return locality;
    }

    @Override
    public String toString() {
        return spec;
    }
}
