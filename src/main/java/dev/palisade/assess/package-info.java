/**
 * Portfolio assessment: each application's artifacts per deployment model scanned by the one
 * pipeline, a measured security profile per model, and the most streamlined model it can move to
 * with the blockers its evidence shows. Rendering lives in {@code assess.render}.
 */
@NullMarked
package dev.palisade.assess;

import org.jspecify.annotations.NullMarked;
