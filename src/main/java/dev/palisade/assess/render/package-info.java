/** Views of an assessment: table, JSON, Markdown, and one self-contained HTML file. */
@NullMarked
package dev.palisade.assess.render;

import org.jspecify.annotations.NullMarked;
