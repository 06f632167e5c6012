@NullMarked
package dev.palisade.catalog.dotnet;

import org.jspecify.annotations.NullMarked;
