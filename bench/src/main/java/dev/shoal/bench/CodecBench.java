package dev.shoal.bench;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import dev.shoal.storage.segment.EncodedSegment;
import dev.shoal.storage.segment.SegmentEncoder;
import dev.shoal.storage.segment.SegmentReader;
import dev.shoal.storage.segment.SegmentRecord;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The CPU budget: "handler CPU per message (encode + compress, decode + decompress) within 3x
 * of zstd's own compression time for the same bytes". On one thread, for batches of the same
 * bodies the log benchmark produces, measures thread CPU time of:
 * <ul>
 *   <li>the segment codec: {@link SegmentEncoder#encode} of the batch, and
 *       {@link SegmentReader#of} + {@code readAll()} of the result;</li>
 *   <li>raw zstd level 3 on the same bytes, one buffer per batch (the bodies back to back):
 *       {@code Zstd.compress} (a new native context per call, as asked), a reused
 *       {@link ZstdCompressCtx} (what the codec itself does), and decompression.</li>
 * </ul>
 * Each figure is the median of several rounds, after a warm-up, in CPU time (not wall time), so
 * that other processes on the machine do not count.
 */
final class CodecBench {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final int ROUNDS = 5;
    /** Results of measured calls end up here, so no call is optimized away. */
    static volatile long sink;

    record Result(int batch, int size, double encodeMicros, double decodeMicros, double zstdMicros, double zstdCtxMicros,
                  double unzstdMicros, double segmentRatio, double zstdRatio) {

        /** The budget's ratio: codec encode + decode per message over raw zstd compression per message. */
        double budgetRatio() {
            return (encodeMicros + decodeMicros) / zstdMicros;
        }

        double budgetRatioReusedContext() {
            return (encodeMicros + decodeMicros) / zstdCtxMicros;
        }

        /** Raw zstd compression throughput of the bodies, MB/s (10^6 bytes) of input. */
        double zstdMegabytesPerSecond() {
            return size / zstdMicros;
        }
    }

    private CodecBench() {
    }

    static Result run(Payloads payloads, int size, int batch, double secondsPerRound) {
        int batches = Math.max(4, Math.min(256, (4 << 20) / Math.max(1, size * batch)));
        List<List<SegmentRecord>> recordBatches = new ArrayList<>();
        List<byte[]> raw = new ArrayList<>();
        long now = System.currentTimeMillis();
        long i = 0;
        for (int b = 0; b < batches; b++) {
            List<SegmentRecord> records = new ArrayList<>(batch);
            byte[] buffer = new byte[size * batch];
            for (int m = 0; m < batch; m++, i++) {
                byte[] body = payloads.body(i);
                records.add(new SegmentRecord(now + m, now + m, null, null, Map.of(), body));
                System.arraycopy(body, 0, buffer, m * size, size);
            }
            recordBatches.add(records);
            raw.add(buffer);
        }
        SegmentEncoder encoder = new SegmentEncoder();
        List<EncodedSegment> encoded = recordBatches.stream().map(encoder::encode).toList();
        List<byte[]> compressed = raw.stream().map(r -> Zstd.compress(r, 3)).toList();
        long segmentBytes = encoded.stream().mapToLong(e -> e.bytes().length).sum();
        long zstdBytes = compressed.stream().mapToLong(c -> c.length).sum();
        long rawBytes = (long) batches * batch * size;

        double encode = measure(secondsPerRound, batch, k -> encoder.encode(recordBatches.get(k % batches)).bytes().length);
        double decode = measure(secondsPerRound, batch, k -> {
            EncodedSegment e = encoded.get(k % batches);
            return SegmentReader.of("bench", e.bytes()).readAll().size();
        });
        double zstd = measure(secondsPerRound, batch, k -> Zstd.compress(raw.get(k % batches), 3).length);
        double zstdCtx;
        try (ZstdCompressCtx ctx = new ZstdCompressCtx()) {
            ctx.setLevel(3);
            zstdCtx = measure(secondsPerRound, batch, k -> ctx.compress(raw.get(k % batches)).length);
        }
        double unzstd;
        try (ZstdDecompressCtx ctx = new ZstdDecompressCtx()) {
            unzstd = measure(secondsPerRound, batch, k -> ctx.decompress(compressed.get(k % batches), size * batch).length);
        }
        return new Result(batch, size, encode, decode, zstd, zstdCtx, unzstd,
                (double) rawBytes / segmentBytes, (double) rawBytes / zstdBytes);
    }

    /**
     * CPU microseconds per message of {@code op} (one call handles one batch): a warm-up round,
     * then the median of {@link #ROUNDS} rounds of about {@code secondsPerRound} CPU seconds each.
     * The CPU clock is read once per run of calls that takes at least a few milliseconds, so reading
     * it does not weigh on small batches.
     */
    private static double measure(double secondsPerRound, int batch, BatchOp op) {
        checkCpuClock();
        long roundNanos = (long) (secondsPerRound * 1e9);
        round(roundNanos, op);
        double[] perMessage = new double[ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            long[] result = round(roundNanos, op);
            perMessage[r] = result[0] / 1e3 / result[1] / batch;
        }
        Arrays.sort(perMessage);
        return perMessage[ROUNDS / 2];
    }

    /** Runs {@code op} for about {@code nanos} of CPU; returns {cpu nanos, calls}. */
    private static long[] round(long nanos, BatchOp op) {
        long start = THREADS.getCurrentThreadCpuTime();
        long calls = 0;
        int runLength = 1;
        long elapsed;
        int k = 0;
        do {
            long runStart = THREADS.getCurrentThreadCpuTime();
            for (int i = 0; i < runLength; i++) {
                sink += op.apply(k++);
            }
            calls += runLength;
            long now = THREADS.getCurrentThreadCpuTime();
            if (now - runStart < 5_000_000L && runLength < (1 << 20)) {
                runLength *= 2;
            }
            elapsed = now - start;
        } while (elapsed < nanos);
        return new long[] {elapsed, calls};
    }

    @FunctionalInterface
    interface BatchOp {
        /** Handles one batch; returns something derived from the result, so the JIT cannot drop the work. */
        long apply(int k);
    }

    private static void checkCpuClock() {
        if (!THREADS.isCurrentThreadCpuTimeSupported()) {
            throw new IllegalStateException("this JVM cannot measure thread CPU time");
        }
        THREADS.setThreadCpuTimeEnabled(true);
    }
}
