/**
 * The whole-pipeline harness: an ingress POP (A), a relay POP (B) and an egress POP (C) wired
 * in one process without rings or ports, driven one packet at a time from pre-generated frames
 * of a large active flow set drawn Zipf or uniform. {@link io.flyover.bench.pipeline.PipelineHarness}
 * is the plain-Java runner behind {@code flyover bench pipeline};
 * {@link io.flyover.bench.pipeline.PipelineStagesBenchmark} measures the same stages under JMH.
 */
package io.flyover.bench.pipeline;
