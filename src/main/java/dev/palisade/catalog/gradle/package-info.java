/**
 * Gradle builds: dependency lock files ({@code gradle.lockfile}, {@code buildscript-gradle.lockfile}), dependency
 * verification metadata ({@code gradle/verification-metadata.xml}) and the saved output of {@code gradle
 * dependencies}, the tree Gradle resolved, for builds without lock files.
 */
@NullMarked
package dev.palisade.catalog.gradle;

import org.jspecify.annotations.NullMarked;
