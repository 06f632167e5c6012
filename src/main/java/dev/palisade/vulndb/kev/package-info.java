@NullMarked
package dev.palisade.vulndb.kev;

import org.jspecify.annotations.NullMarked;
