package dev.shoal.storage.segment;

import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A small, bounded pool of zstd contexts shared by every encoder and reader. Creating a context
 * per call costs about as much as compressing a small segment (measured: 12.7 µs with a new
 * context, 9.7 µs with a reused one, for 2 KiB at level 3; 5.7 µs vs 3.5 µs to decompress it).
 * A pool rather than a ThreadLocal: virtual threads would each keep one, and zstd-jni frees a
 * context's native memory only on {@code close()}. At most {@code max(2, cores)} of each kind
 * are kept; extra ones are closed when returned.
 */
final class ZstdContexts {

    private static final int MAX_POOLED = Math.max(2, Runtime.getRuntime().availableProcessors());
    private static final Pool<ZstdCompressCtx> COMPRESS = new Pool<>(ZstdCompressCtx::new, ZstdCompressCtx::close);
    private static final Pool<ZstdDecompressCtx> DECOMPRESS = new Pool<>(ZstdDecompressCtx::new, ZstdDecompressCtx::close);

    private ZstdContexts() {
    }

    /** A compression context set to {@code level}, without a frame checksum; give it back with {@link #release}. */
    static ZstdCompressCtx compressor(int level) {
        ZstdCompressCtx ctx = COMPRESS.borrow();
        ctx.reset(); // parameters and session: a previous user may have failed mid-frame
        return ctx.setLevel(level).setChecksum(false);
    }

    static void release(ZstdCompressCtx ctx) {
        COMPRESS.release(ctx);
    }

    static ZstdDecompressCtx decompressor() {
        ZstdDecompressCtx ctx = DECOMPRESS.borrow();
        ctx.reset();
        return ctx;
    }

    static void release(ZstdDecompressCtx ctx) {
        DECOMPRESS.release(ctx);
    }

    private static final class Pool<T> {
        private final Queue<T> idle = new ConcurrentLinkedQueue<>();
        private final AtomicInteger idleCount = new AtomicInteger();
        private final Supplier<T> create;
        private final Consumer<T> close;

        Pool(Supplier<T> create, Consumer<T> close) {
            this.create = create;
            this.close = close;
        }

        T borrow() {
            T t = idle.poll();
            if (t == null) {
                return create.get();
            }
            idleCount.decrementAndGet();
            return t;
        }

        void release(T t) {
            if (idleCount.incrementAndGet() <= MAX_POOLED) {
                idle.offer(t);
            } else {
                idleCount.decrementAndGet();
                close.accept(t);
            }
        }
    }
}
