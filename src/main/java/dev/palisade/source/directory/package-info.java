@NullMarked
package dev.palisade.source.directory;

import org.jspecify.annotations.NullMarked;
