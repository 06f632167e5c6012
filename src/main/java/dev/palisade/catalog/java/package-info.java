@NullMarked
package dev.palisade.catalog.java;

import org.jspecify.annotations.NullMarked;
