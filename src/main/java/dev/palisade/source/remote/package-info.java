/**
 * A remote host read over SSH without installing anything on it: its root file system and its
 * {@code /proc} through SFTP only (nothing is executed there), behind the same {@code FileAccess}
 * and {@code Artifact} interfaces as a local root file system.
 */
@NullMarked
package dev.palisade.source.remote;

import org.jspecify.annotations.NullMarked;
