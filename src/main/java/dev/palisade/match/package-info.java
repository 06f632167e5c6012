@NullMarked
package dev.palisade.match;

import org.jspecify.annotations.NullMarked;
