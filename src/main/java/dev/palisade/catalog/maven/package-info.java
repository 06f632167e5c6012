/**
 * Maven projects: a {@code pom.xml} built into its effective model and its dependency tree resolved by
 * Maven's own libraries (the model builder and Maven Resolver), from the local repository and the
 * project's repositories. No build code and no plugin runs.
 */
@NullMarked
package dev.palisade.catalog.maven;

import org.jspecify.annotations.NullMarked;
