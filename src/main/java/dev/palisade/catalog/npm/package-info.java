@NullMarked
package dev.palisade.catalog.npm;

import org.jspecify.annotations.NullMarked;
