@NullMarked
package dev.palisade.source.image;

import org.jspecify.annotations.NullMarked;
