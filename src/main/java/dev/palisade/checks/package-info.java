/** Configuration, hardening and secret checks: metadata as data, small evaluators per kind of input. */
@NullMarked
package dev.palisade.checks;

import org.jspecify.annotations.NullMarked;
