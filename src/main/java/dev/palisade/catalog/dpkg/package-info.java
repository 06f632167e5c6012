@NullMarked
package dev.palisade.catalog.dpkg;

import org.jspecify.annotations.NullMarked;
