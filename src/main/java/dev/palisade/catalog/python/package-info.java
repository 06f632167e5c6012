@NullMarked
package dev.palisade.catalog.python;

import org.jspecify.annotations.NullMarked;
