@NullMarked
package dev.palisade.catalog.php;

import org.jspecify.annotations.NullMarked;
