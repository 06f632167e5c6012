@NullMarked
package dev.palisade.report;

import org.jspecify.annotations.NullMarked;
