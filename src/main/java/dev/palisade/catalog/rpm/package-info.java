@NullMarked
package dev.palisade.catalog.rpm;

import org.jspecify.annotations.NullMarked;
