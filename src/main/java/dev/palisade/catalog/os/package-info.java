@NullMarked
package dev.palisade.catalog.os;

import org.jspecify.annotations.NullMarked;
