@NullMarked
package dev.palisade.catalog.golang;

import org.jspecify.annotations.NullMarked;
