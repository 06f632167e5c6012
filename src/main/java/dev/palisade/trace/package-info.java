/**
 * Least privilege learned from a traced run: strace's output parsed as hostile text ({@link
 * StraceLineParser}), summarised in bounded memory ({@link TraceRecorder}) into a {@link TraceProfile},
 * and written as a seccomp profile, a Kubernetes securityContext, a systemd drop-in and a
 * NetworkPolicy draft; {@link ProfileDiff} says what a new profile started to need.
 */
@NullMarked
package dev.palisade.trace;

import org.jspecify.annotations.NullMarked;
