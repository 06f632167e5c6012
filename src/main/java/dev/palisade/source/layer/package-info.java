@NullMarked
package dev.palisade.source.layer;

import org.jspecify.annotations.NullMarked;
