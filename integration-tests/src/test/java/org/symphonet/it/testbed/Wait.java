package org.symphonet.it.testbed;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polling for a condition in a real testbed, where things settle over seconds rather than at once. */
public final class Wait {

    private Wait() {
    }

    public static void until(Duration limit, String what, BooleanSupplier condition) throws InterruptedException {
        until(limit, () -> what, condition);
    }

    /** {@code what} is evaluated only on timeout, so it can describe the state the last check saw. */
    public static void until(Duration limit, Supplier<String> what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + limit.toSeconds() + " s waiting for " + what.get());
            }
            Thread.sleep(200);
        }
    }
}
