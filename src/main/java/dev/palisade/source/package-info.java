@NullMarked
package dev.palisade.source;

import org.jspecify.annotations.NullMarked;
