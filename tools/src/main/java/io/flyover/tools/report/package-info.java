/**
 * Reports of the simulator and the demo: a small headless chart renderer ({@link io.flyover.tools.report.Chart},
 * {@code java.awt} into PNG through {@code javax.imageio}, no other dependency) and the files
 * {@code flyover sim --out} writes ({@link io.flyover.tools.report.SimReport}). Control plane only.
 */
package io.flyover.tools.report;
