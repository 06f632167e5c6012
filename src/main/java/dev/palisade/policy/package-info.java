/**
 * What a user asked to see of a result, applied the same way for every entry point: suppressions
 * (ignore file, OpenVEX), filters (severity, unfixed) and the exit code decision.
 */
@NullMarked
package dev.palisade.policy;

import org.jspecify.annotations.NullMarked;
