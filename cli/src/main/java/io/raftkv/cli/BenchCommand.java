package io.raftkv.cli;

import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code raftkv bench}: measurements with latency percentiles (R-OPS-1, issue 7).
 * <ul>
 *   <li>{@code wal}: the write-ahead log alone on one disk ({@link BenchWalCommand});</li>
 *   <li>{@code kv}: closed-loop load against a running cluster over the Redis protocol
 *       ({@link BenchKvCommand}, engine in the {@code loadgen} module);</li>
 *   <li>{@code floor}: the physical floor, raw fsync and loopback round trip ({@link BenchFloorCommand});</li>
 *   <li>{@code compare}: the side-by-side table of raftkv and etcd JSON reports
 *       ({@link BenchCompareCommand});</li>
 *   <li>{@code failover}, {@code catchup}, {@code restart}: scenarios on a local cluster of server
 *       processes this command starts itself ({@link BenchCluster}).</li>
 * </ul>
 */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks with latency percentiles.",
        subcommands = {BenchWalCommand.class, BenchKvCommand.class, BenchFloorCommand.class,
                BenchCompareCommand.class, BenchFailoverCommand.class, BenchCatchupCommand.class,
                BenchRestartCommand.class})
public final class BenchCommand implements Runnable {
    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Parses sizes such as {@code 1g}, {@code 256m}, {@code 64k} or a plain number of bytes. */
    static final class SizeConverter implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            long unit = 1;
            char last = v.isEmpty() ? ' ' : v.charAt(v.length() - 1);
            if (last == 'k' || last == 'm' || last == 'g') {
                unit = last == 'k' ? 1L << 10 : last == 'm' ? 1L << 20 : 1L << 30;
                v = v.substring(0, v.length() - 1);
            }
            try {
                return Math.multiplyExact(Long.parseLong(v), unit);
            } catch (NumberFormatException | ArithmeticException e) {
                throw new IllegalArgumentException("not a size: '" + value + "' (examples: 1g, 256m, 4096)", e);
            }
        }

        /** A size for people: {@code 1.00 GiB}, {@code 64.0 MiB}, {@code 512 B}. */
        static String format(long value) {
            if (value >= 1L << 30) {
                return String.format(Locale.ROOT, "%.2f GiB", value / (double) (1L << 30));
            }
            return value >= 1L << 20 ? String.format(Locale.ROOT, "%.1f MiB", value / (double) (1L << 20))
                    : value + " B";
        }
    }
}
