@NullMarked
package dev.palisade.catalog.ruby;

import org.jspecify.annotations.NullMarked;
