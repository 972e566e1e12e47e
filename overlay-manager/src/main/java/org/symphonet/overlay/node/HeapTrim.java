package org.symphonet.overlay.node;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sun.management.HotSpotDiagnosticMXBean;

/**
 * Keeps a running node's heap close to what it keeps live, and its C heap too ({@link MallocTrim}:
 * once settled and at every check). The serial collector (node.jvm) sizes
 * the heap at every full collection so that 40% of the old generation is free (MinHeapFreeRatio),
 * and the young generation half the old one: 2.5 times the live data, which is ~13 MB in a node
 * whose links are up (heap histogram, 4 nodes): 32 MB committed and resident, a third of the node's
 * RSS. Start-up promotes fast and needs that room (tighter ratios from the start cost 0.16 s of CPU
 * per node in full collections, node.jvm), a running node does not. So once the node has settled
 * ({@link #settle}: its links are up) this lowers the ratios to {@value #MIN_FREE}..{@value #MAX_FREE}%
 * (manageable flags) and collects once: from then on the heap is ~1.9-2.1 times the live data.
 * The collector itself still grows the heap whenever more is live.
 *
 * <p>After that, every check asks for a full collection when the committed heap grew more than
 * {@link #SLACK_BYTES} since the last full collection, so a load spike's growth does not stay for
 * good; an idle node's heap does not grow, so it pays nothing.
 *
 * <p>Runs on the node's control thread; not thread-safe.
 */
final class HeapTrim {

    /** Seconds between checks; 0 turns all of this off (the JVM's ratios stay as node.jvm sets them). */
    static final String PERIOD_PROPERTY = "symphonet.heapTrimSeconds";
    static final long DEFAULT_PERIOD_SECONDS = 30;
    static final int MIN_FREE = 20;
    static final int MAX_FREE = 30;
    /** Growth since the last full collection that is worth one. */
    static final long SLACK_BYTES = 8L << 20;

    private static final Logger log = LoggerFactory.getLogger(HeapTrim.class);

    private final LongSupplier committed;
    private final LongSupplier fullCollections;
    private final Runnable collect;
    private final BiConsumer<String, String> setFlag;
    private final Runnable releaseNative;
    private boolean settled;
    /** Committed bytes when the last full collection was first seen. */
    private long baseline = -1;
    private long seenFull = -1;

    HeapTrim(LongSupplier committed, LongSupplier fullCollections, Runnable collect, BiConsumer<String, String> setFlag) {
        this(committed, fullCollections, collect, setFlag, () -> { });
    }

    /** {@code releaseNative} runs once settled and at every check after that (never before: start-up mallocs again at once). */
    HeapTrim(LongSupplier committed, LongSupplier fullCollections, Runnable collect, BiConsumer<String, String> setFlag,
             Runnable releaseNative) {
        this.committed = committed;
        this.fullCollections = fullCollections;
        this.collect = collect;
        this.setFlag = setFlag;
        this.releaseNative = releaseNative;
    }

    /**
     * This JVM's heap, full collections, {@code System.gc()} and manageable flags. The management
     * beans are looked up at the first use, after start-up: they load ~50 classes.
     */
    static HeapTrim ofThisJvm() {
        Runtime rt = Runtime.getRuntime();
        LongSupplier fulls = new LongSupplier() {
            private GarbageCollectorMXBean full;
            private boolean looked;

            @Override
            public long getAsLong() {
                if (!looked) {
                    looked = true;
                    full = fullCollector(ManagementFactory.getGarbageCollectorMXBeans());
                }
                return full == null ? 0 : full.getCollectionCount();
            }
        };
        return new HeapTrim(rt::totalMemory, fulls, System::gc,
                (name, value) -> ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).setVMOption(name, value),
                MallocTrim::trim);
    }

    /** The check period from {@value #PERIOD_PROPERTY}, in seconds; 0 when off. */
    static long periodSeconds() {
        return Math.max(0, Long.getLong(PERIOD_PROPERTY, DEFAULT_PERIOD_SECONDS));
    }

    /**
     * The collector of the whole heap: the one that manages the most memory pools (serial's
     * MarkSweepCompact manages eden, survivor and old; its young Copy only the first two).
     */
    static GarbageCollectorMXBean fullCollector(List<GarbageCollectorMXBean> collectors) {
        GarbageCollectorMXBean best = null;
        for (GarbageCollectorMXBean c : collectors) {
            if (best == null || c.getMemoryPoolNames().length > best.getMemoryPoolNames().length) {
                best = c;
            }
        }
        return best;
    }

    /** Start-up is over: tighter free ratios from now on, and one collection to apply them. */
    void settle() {
        if (settled) {
            return;
        }
        settled = true;
        long before = committed.getAsLong();
        try {
            // Min first: it must never exceed Max, which is higher until the second call.
            setFlag.accept("MinHeapFreeRatio", Integer.toString(MIN_FREE));
            setFlag.accept("MaxHeapFreeRatio", Integer.toString(MAX_FREE));
        } catch (RuntimeException e) {
            log.debug("heap free ratios not changed: {}", e.toString());
        }
        collect.run();
        releaseNative.run();
        seenFull = fullCollections.getAsLong();
        baseline = committed.getAsLong();
        log.info("start-up over: heap {} -> {} KB committed", before >> 10, baseline >> 10);
    }

    /** One periodic check (only once settled); true if it asked for a full collection. */
    boolean check() {
        if (!settled) {
            return false;
        }
        // Tunnels' handshakes, signaling and status calls after start-up malloc and free in their
        // own threads' arenas too; a trim that finds nothing to give back costs microseconds.
        releaseNative.run();
        long fulls = fullCollections.getAsLong();
        long now = committed.getAsLong();
        if (fulls != seenFull) {
            // A full collection of its own sized the heap.
            seenFull = fulls;
            baseline = now;
            return false;
        }
        if (now - baseline < SLACK_BYTES) {
            return false;
        }
        collect.run();
        seenFull = fullCollections.getAsLong();
        baseline = committed.getAsLong();
        log.debug("heap trimmed: {} -> {} KB committed", now >> 10, baseline >> 10);
        return true;
    }
}
