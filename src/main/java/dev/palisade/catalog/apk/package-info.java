@NullMarked
package dev.palisade.catalog.apk;

import org.jspecify.annotations.NullMarked;
