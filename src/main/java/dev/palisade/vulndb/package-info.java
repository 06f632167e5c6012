@NullMarked
package dev.palisade.vulndb;

import org.jspecify.annotations.NullMarked;
