package dev.palisade.source.image;

import dev.palisade.source.Deadline;
import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * One layer's uncompressed content, produced on a thread of its own: the producer reads the blob and
 * decompresses it, a second thread hashes the blob and what comes out of it ({@link Hashing}), and the
 * bytes are handed over in a few reused chunks; the caller's thread reads them back through {@link
 * #content()} to parse the tar. Memory is bounded by {@link #CHUNKS} + {@link #BLOB_COPIES} buffers of
 * {@link #CHUNK_BYTES} whatever the layer's size.
 *
 * <p>Closing stops the producer and waits for it to end, having closed the blob: a walk that stops
 * early (a limit, a failing visitor) leaves no thread behind. A producer can be told to start only
 * once another layer's producer has ended, so that two layers never read the same blob source (a
 * tar read by position through one channel) at the same time.
 */
final class InflatingLayer implements Closeable {
    static final int CHUNK_BYTES = 256 * 1024;
    static final int CHUNKS = 8;
    /** Copies of the blob's bytes waiting to be hashed, {@link #CHUNK_BYTES} each. */
    private static final int BLOB_COPIES = 4;
    /** Names the producer threads: {@code palisade-inflate-layer-<n>}, n counted from 1. */
    static final String THREAD_PREFIX = "palisade-inflate-layer-";

    /** How much of a blob is read past a decompression error, looking for the blob's own failure. */
    private static final long BLOB_TAIL_ON_ERROR = 1024 * 1024;
    /** How often a waiting side looks at the deadline or for a cancellation. */
    private static final long POLL_MILLIS = 50;
    /** How long closing waits for the producer to notice before it closes the blob under it. */
    private static final long GRACE_MILLIS = 1_000;
    /** How long closing waits after that for a producer stuck in a read that ignores the close. */
    private static final long STUCK_MILLIS = 10_000;

    interface BlobOpener {
        InputStream open() throws IOException;
    }

    /** The digests of the blob and of its uncompressed content, known once the producer reached the end. */
    record Digests(Digest blob, Digest diffId) {}

    /** A run of bytes, or with a negative length, the end of the layer (or the producer's failure). */
    private record Chunk(byte[] bytes, int length, AtomicInteger holders) {
        Chunk(byte[] bytes, int length) {
            this(bytes, length, new AtomicInteger(1));
        }

        boolean last() {
            return length < 0;
        }
    }

    /** Gives a chunk's buffer back once both its reader and the hasher are done with it. */
    private void release(Chunk chunk) {
        if (chunk.holders().decrementAndGet() == 0) {
            free.offer(chunk.bytes());
        }
    }

    private final BlobOpener opener;
    private final String blobAlgorithm;
    private final String diffAlgorithm;
    /** The producer of the layer before, which must end before this one opens its blob; not the layer, whose buffers can go. */
    private final @Nullable Thread after;

    private final Deadline deadline;
    private final String what;
    private final BlockingQueue<Chunk> filled = new ArrayBlockingQueue<>(CHUNKS + 1);
    private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(CHUNKS);
    private final Thread producer;
    private final Content content = new Content();

    private volatile boolean cancelled;
    private volatile @Nullable InputStream blob;
    private volatile @Nullable Throwable failure;
    /**
     * Whether the decompressor said, before the read that failed, that it had no more to give (a
     * gzip stream at its trailer): the bytes of a read that the failure interrupts are then kept.
     */
    private volatile boolean failedAtEnd;

    private volatile @Nullable Digests digests;
    private int allocated;

    /**
     * @param after a producer that must have ended before this one opens its blob, or null
     * @param what what the consumer is reading, for the deadline's message
     */
    private InflatingLayer(
            String threadName,
            BlobOpener opener,
            String blobAlgorithm,
            String diffAlgorithm,
            @Nullable Thread after,
            Deadline deadline,
            String what) {
        this.opener = opener;
        this.blobAlgorithm = blobAlgorithm;
        this.diffAlgorithm = diffAlgorithm;
        this.after = after;
        this.deadline = deadline;
        this.what = what;
        this.producer = new Thread(this::produce, threadName);
        producer.setDaemon(true);
    }

    /** Starts inflating a layer, once {@code after}'s producer (if any) has ended. */
    static InflatingLayer start(
            int layerNumber,
            BlobOpener opener,
            String blobAlgorithm,
            String diffAlgorithm,
            @Nullable InflatingLayer after,
            Deadline deadline,
            String what) {
        InflatingLayer layer = new InflatingLayer(
                THREAD_PREFIX + layerNumber,
                opener,
                blobAlgorithm,
                diffAlgorithm,
                after == null ? null : after.producer,
                deadline,
                what);
        layer.producer.start();
        return layer;
    }

    /** The uncompressed content; a failure of the producer is thrown here, after the bytes it produced. */
    InputStream content() {
        return content;
    }

    /** The digests, once {@link #content()} has been read to its end. */
    Digests digests() {
        Digests known = digests;
        if (known == null) {
            throw new IllegalStateException("the layer was not read to its end");
        }
        return known;
    }

    private void produce() {
        Hashing hashing = null;
        try {
            if (after != null && !awaitProducerOf(after)) {
                return;
            }
            InputStream raw = opener.open();
            blob = raw;
            MessageDigest blobHash = Digest.hasher(blobAlgorithm);
            MessageDigest diffHash = Digest.hasher(diffAlgorithm);
            hashing = new Hashing(producer.getName() + "-hash");
            try (InputStream hashedBlob = hashing.tee(raw, blobHash);
                    InputStream decompressed = LayerStreams.uncompressed(hashedBlob)) {
                boolean complete;
                try {
                    complete = pump(decompressed, diffHash, hashing);
                } catch (IOException e) {
                    throw blobFailureOr(e, hashedBlob);
                }
                if (!complete || !drain(hashedBlob)) {
                    return;
                }
            }
            hashing.finish();
            digests = new Digests(Digest.of(blobAlgorithm, blobHash), Digest.of(diffAlgorithm, diffHash));
        } catch (IOException | RuntimeException | Error e) {
            if (!cancelled) {
                failure = e;
            }
        } finally {
            if (hashing != null) {
                hashing.stop();
            }
            InputStream raw = blob;
            if (raw != null) {
                closeQuietly(raw);
            }
            // Room for it is kept: the queue holds CHUNKS buffers at most, plus this
            filled.add(new Chunk(new byte[0], -1));
        }
    }

    /**
     * Hands the uncompressed bytes over, one read of the decompressor per chunk: the reads a buffer
     * of {@link #CHUNK_BYTES} in front of it made when the caller decompressed, so that a corrupt
     * stream yields the same bytes before the same error. False once cancelled.
     */
    private boolean pump(InputStream decompressed, MessageDigest diffHash, Hashing hashing) throws IOException {
        while (true) {
            byte[] buffer = freeBuffer();
            if (buffer == null) {
                return false;
            }
            failedAtEnd = decompressed.available() <= 0;
            int n = decompressed.read(buffer, 0, buffer.length);
            if (n < 0) {
                return true;
            }
            Chunk chunk = new Chunk(buffer, n, new AtomicInteger(2));
            hashing.submit(diffHash, buffer, n, () -> release(chunk));
            filled.add(chunk);
        }
    }

    /**
     * The blob's own failure when its last bytes fail to read (a download that does not match its
     * digest, say), which explains a decompression error better than the decompressor can; else
     * {@code decompression}. Which of the two came first used to depend on when the bytes arrived.
     */
    private IOException blobFailureOr(IOException decompression, InputStream hashedBlob) {
        byte[] scratch = new byte[64 * 1024];
        long left = BLOB_TAIL_ON_ERROR;
        try {
            int n;
            while (left > 0
                    && !cancelled
                    && (n = hashedBlob.read(scratch, 0, (int) Math.min(left, scratch.length))) >= 0) {
                left -= n;
            }
        } catch (IOException e) {
            return e;
        }
        return decompression;
    }

    /** Reads the blob past the end of its compressed stream, so that its digest covers all of it. */
    private boolean drain(InputStream hashedBlob) throws IOException {
        byte[] scratch = new byte[64 * 1024];
        while (hashedBlob.read(scratch) >= 0) {
            if (cancelled) {
                return false;
            }
        }
        return true;
    }

    /** A buffer to fill, once the consumer has given one back; null once cancelled. */
    private byte @Nullable [] freeBuffer() {
        while (!cancelled) {
            byte[] buffer = free.poll();
            if (buffer != null) {
                return buffer;
            }
            if (allocated < CHUNKS) {
                allocated++;
                return new byte[CHUNK_BYTES];
            }
            try {
                buffer = free.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
            if (buffer != null) {
                return buffer;
            }
        }
        return null;
    }

    /** Waits for another layer's producer to end; false when this one was cancelled meanwhile. */
    private boolean awaitProducerOf(Thread previous) {
        try {
            while (previous.isAlive()) {
                if (cancelled) {
                    return false;
                }
                previous.join(POLL_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return !cancelled;
    }

    /**
     * Stops the producer and waits for it to end. It notices within a chunk; one stuck reading the
     * blob (a stalled download) has the blob closed under it.
     */
    @Override
    public void close() {
        cancelled = true;
        try {
            producer.join(GRACE_MILLIS);
            InputStream raw = blob;
            if (producer.isAlive() && raw != null) {
                closeQuietly(raw);
                producer.join(STUCK_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        free.clear();
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException | RuntimeException e) {
            // the layer is over either way; a failure to read it was reported already
        }
    }

    private static IOException rethrow(Throwable failure) {
        if (failure instanceof IOException io) {
            return io;
        }
        if (failure instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        return new IOException(failure);
    }

    /**
     * Hashes the blob and the uncompressed content on a thread of its own, in the order the producer
     * read and produced them, so that decompressing (the slowest step) has a core to itself. The
     * blob's bytes are copied into a few reused buffers; the uncompressed chunks are hashed in place,
     * their buffer going back once the consumer has read them too.
     */
    private final class Hashing {
        private record Task(@Nullable MessageDigest digest, byte[] bytes, int length, Runnable done) {}

        private static final Task STOP = new Task(null, new byte[0], 0, () -> {});

        private final BlockingQueue<Task> tasks = new ArrayBlockingQueue<>(CHUNKS + BLOB_COPIES + 1);
        private final BlockingQueue<byte[]> blobCopies = new ArrayBlockingQueue<>(BLOB_COPIES);
        private final Thread hasher;
        private int copiesAllocated;
        private boolean stopped;
        private volatile @Nullable Throwable hashFailure;

        Hashing(String threadName) {
            hasher = new Thread(this::run, threadName);
            hasher.setDaemon(true);
            hasher.start();
        }

        /** {@code in}, its bytes hashed into {@code digest} as they are read (as a {@link DigestInputStream}). */
        InputStream tee(InputStream in, MessageDigest digest) {
            return new FilterInputStream(in) {
                @Override
                public int read() throws IOException {
                    int b = in.read();
                    if (b >= 0) {
                        copy(digest, new byte[] {(byte) b}, 0, 1);
                    }
                    return b;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n = in.read(b, off, len);
                    if (n > 0) {
                        copy(digest, b, off, n);
                    }
                    return n;
                }
            };
        }

        private void copy(MessageDigest digest, byte[] b, int off, int len) throws IOException {
            for (int done = 0; done < len; ) {
                byte[] copy = blobCopy();
                int step = Math.min(len - done, copy.length);
                System.arraycopy(b, off + done, copy, 0, step);
                submit(digest, copy, step, () -> blobCopies.offer(copy));
                done += step;
            }
        }

        private byte[] blobCopy() throws IOException {
            byte[] copy = blobCopies.poll();
            if (copy != null) {
                return copy;
            }
            if (copiesAllocated < BLOB_COPIES) {
                copiesAllocated++;
                return new byte[CHUNK_BYTES];
            }
            try {
                while ((copy = blobCopies.poll(POLL_MILLIS, TimeUnit.MILLISECONDS)) == null) {
                    hasherAlive();
                }
                return copy;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while hashing " + what);
            }
        }

        void submit(MessageDigest digest, byte[] bytes, int length, Runnable done) throws IOException {
            Task task = new Task(digest, bytes, length, done);
            try {
                while (!tasks.offer(task, POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                    hasherAlive();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while hashing " + what);
            }
        }

        private void hasherAlive() throws IOException {
            if (!hasher.isAlive()) {
                Throwable failed = hashFailure;
                throw failed == null ? new IOException("the layer's hashing stopped") : rethrow(failed);
            }
        }

        /** Waits for everything submitted to be hashed; throws what failed the hasher. */
        void finish() throws IOException {
            stop();
            Throwable failed = hashFailure;
            if (failed != null) {
                throw rethrow(failed);
            }
        }

        /** Ends the hasher, once it has handled (or with the layer cancelled, released) what was submitted. */
        void stop() {
            if (stopped) {
                return;
            }
            stopped = true;
            boolean queued = false;
            boolean interrupted = false;
            while (hasher.isAlive()) {
                try {
                    if (queued) {
                        hasher.join(POLL_MILLIS);
                    } else {
                        queued = tasks.offer(STOP, POLL_MILLIS, TimeUnit.MILLISECONDS);
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        private void run() {
            while (true) {
                Task task;
                try {
                    task = tasks.take();
                } catch (InterruptedException e) {
                    continue; // only STOP ends the hasher: the producer waits for it
                }
                if (task == STOP) {
                    return;
                }
                try {
                    MessageDigest digest = task.digest();
                    if (digest != null && !cancelled && hashFailure == null) {
                        digest.update(task.bytes(), 0, task.length());
                    }
                } catch (RuntimeException | Error e) {
                    hashFailure = e; // told to the producer when it finishes; the hasher goes on releasing
                } finally {
                    task.done().run();
                }
            }
        }
    }

    /** The consumer's side: the chunks read back in order, the deadline checked while waiting for one. */
    private final class Content extends InputStream {
        private @Nullable Chunk current;
        private int position;
        private boolean ended;

        @Override
        public int read() throws IOException {
            Chunk chunk = current();
            if (chunk == null) {
                return -1;
            }
            return chunk.bytes()[position++] & 0xff;
        }

        /**
         * Fills {@code b} as a buffered read of the decompressor did before this class existed: up to
         * the end of the layer, and when the decompressor fails midway, the read fails as a whole
         * unless the decompressor had said it was at its end; so the tar parser sees the same bytes
         * and the same error as it did.
         */
        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            int n = 0;
            while (true) {
                Chunk chunk;
                try {
                    chunk = current();
                } catch (IOException | RuntimeException e) {
                    if (n > 0 && failedAtEnd) {
                        return n;
                    }
                    throw e;
                }
                if (chunk == null) {
                    return n == 0 ? -1 : n;
                }
                int step = Math.min(len - n, chunk.length() - position);
                System.arraycopy(chunk.bytes(), position, b, off + n, step);
                position += step;
                n += step;
                if (n == len) {
                    return n;
                }
            }
        }

        @Override
        public long skip(long n) throws IOException {
            if (n <= 0) {
                return 0;
            }
            Chunk chunk = current();
            if (chunk == null) {
                return 0;
            }
            int step = (int) Math.min(n, chunk.length() - position);
            position += step;
            return step;
        }

        @Override
        public int available() {
            Chunk chunk = current;
            return chunk == null ? 0 : chunk.length() - position;
        }

        /** The chunk with bytes left to read, or null at the end; throws the producer's failure there. */
        private @Nullable Chunk current() throws IOException {
            Chunk chunk = current;
            if (chunk != null && position < chunk.length()) {
                return chunk;
            }
            if (ended) {
                return end();
            }
            if (chunk != null) {
                release(chunk);
                current = null;
            }
            Chunk next = next();
            if (next.last()) {
                ended = true;
                return end();
            }
            current = next;
            position = 0;
            return next;
        }

        private @Nullable Chunk end() throws IOException {
            Throwable failed = failure;
            if (failed != null) {
                throw rethrow(failed);
            }
            return null;
        }

        private Chunk next() throws IOException {
            try {
                Chunk next;
                while ((next = filled.poll(POLL_MILLIS, TimeUnit.MILLISECONDS)) == null) {
                    deadline.check(what);
                }
                return next;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while reading " + what);
            }
        }
    }
}
