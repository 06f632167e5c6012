@NullMarked
package dev.palisade.inventory;

import org.jspecify.annotations.NullMarked;
