@NullMarked
package dev.palisade.scan;

import org.jspecify.annotations.NullMarked;
