package io.tilespark.job;

import io.tilespark.ops.Plan;

/**
 * Plain-word names for what the Spark UI and its REST API show.
 *
 * <p>Spark names a stage after the call site that was current when the stage's last RDD was
 * created, and a job after the call site of its action (SparkContext.setCallSite sets the short
 * form; RDD.creationSite captures it). The stage that writes the results is the action's own
 * stage, so the call site current at the action names it. Without a shuffle the whole pipeline is that one stage, so its name tells
 * the whole story; with --spread, the stage that ends in the shuffle is named after the
 * shuffle's input.
 */
final class StageNames {

    private StageNames() {
    }

    /** The map stage that reads, decodes, cuts and processes (only when tiles are spread). */
    static String decode(int images, Plan plan) {
        return "decode+tile+apply " + images(images) + ": " + plan.spec();
    }

    /** The result stage: the last step when tiles were spread, every step when they were not. */
    static String result(int images, Plan plan, boolean spread) {
        return spread ? "stitch+write " + images(images)
                : "decode+tile+apply+stitch+write " + images(images) + ": " + plan.spec();
    }

    static String images(long n) {
        return n + (n == 1 ? " image" : " images");
    }
}
