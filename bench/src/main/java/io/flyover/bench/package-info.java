/**
 * JMH microbenchmarks and the plain-Java pipeline harness.
 */
package io.flyover.bench;
