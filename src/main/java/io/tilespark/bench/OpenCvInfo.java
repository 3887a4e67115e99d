package io.tilespark.bench;

import org.opencv.core.Core;

import io.tilespark.cv.OpenCv;

/** One line about the OpenCV build in the jar, for the benchmark's record of the machine. */
public final class OpenCvInfo {

    private OpenCvInfo() {
    }

    public static void main(String[] args) {
        OpenCv.load();
        StringBuilder sb = new StringBuilder(OpenCv.describe());
        boolean ipp = false;
        for (String line : Core.getBuildInformation().split("\n")) {
            String t = line.trim();
            if (t.startsWith("Baseline:") || t.startsWith("Dispatched code generation:") || t.startsWith("JPEG:")
                    || t.startsWith("Parallel framework:") || t.startsWith("Intel IPP:")) {
                sb.append("; ").append(t.replaceAll("\\s+", " "));
                ipp |= t.startsWith("Intel IPP:");
            }
        }
        if (!ipp) {
            sb.append("; Intel IPP: not built in");
        }
        System.out.println(sb);
    }
}
