@NullMarked
package dev.palisade.catalog.rust;

import org.jspecify.annotations.NullMarked;
