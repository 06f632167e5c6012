/** An OCI distribution (registry) client: references, credentials, authenticated pulls, streamed blobs. */
@NullMarked
package dev.palisade.registry;

import org.jspecify.annotations.NullMarked;
