@NullMarked
package dev.palisade.cli;

import org.jspecify.annotations.NullMarked;
