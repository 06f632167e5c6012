@NullMarked
package dev.palisade.catalog;

import org.jspecify.annotations.NullMarked;
