/** Version ordering of each package ecosystem, following each ecosystem's own reference implementation. */
@NullMarked
package dev.palisade.version;

import org.jspecify.annotations.NullMarked;
