@NullMarked
package dev.palisade.vulndb.sqlite;

import org.jspecify.annotations.NullMarked;
