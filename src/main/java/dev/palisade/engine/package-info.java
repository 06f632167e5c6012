/**
 * Local container engines (Docker, Podman) through their Docker-compatible API: where the engine listens,
 * and a small HTTP/1.1 client over a unix socket or TCP that exports an image as a docker-archive.
 */
@NullMarked
package dev.palisade.engine;

import org.jspecify.annotations.NullMarked;
