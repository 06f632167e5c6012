@NullMarked
package dev.palisade.catalog.sbom;

import org.jspecify.annotations.NullMarked;
