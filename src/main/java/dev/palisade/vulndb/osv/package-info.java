@NullMarked
package dev.palisade.vulndb.osv;

import org.jspecify.annotations.NullMarked;
