@NullMarked
package dev.palisade.source.archive;

import org.jspecify.annotations.NullMarked;
