package io.raftkv.storage.wal;

import io.raftkv.core.HardState;
import io.raftkv.core.LogEntry;
import io.raftkv.core.NodeId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/**
 * A Raft-like history for the crash tests, shared by the child that writes it and the parent that
 * checks what survived: the log as it should be (first index, terms, hard state) and operations on
 * it in a one-line text form. The child prints each operation before submitting it and submits it
 * by parsing that same line, so both sides agree on its meaning. Entry data is a function of index
 * and term, so any entry can be checked on its own.
 *
 * <p>Lines: {@code A from to term} appends; {@code P from to term hsTerm vote commit} replaces the
 * suffix from {@code from} with a new hard state; {@code H term vote commit} writes a hard state
 * only; {@code T from} deletes the suffix from {@code from}; {@code C upTo} compacts.
 */
final class CrashHistory {
    private long first = 1;
    private final List<Long> terms = new ArrayList<>();
    private HardState hardState = HardState.INITIAL;

    /** The history of a recovered log. */
    static CrashHistory of(SegmentedLog log) {
        CrashHistory history = new CrashHistory();
        history.first = log.firstIndex();
        for (long i = log.firstIndex(); i <= log.lastIndex(); i++) {
            history.terms.add(log.term(i));
        }
        history.hardState = log.hardState();
        return history;
    }

    CrashHistory copy() {
        CrashHistory copy = new CrashHistory();
        copy.first = first;
        copy.terms.addAll(terms);
        copy.hardState = hardState;
        return copy;
    }

    long last() {
        return first + terms.size() - 1;
    }

    static LogEntry entry(long index, long term) {
        return WalTestSupport.entry(index, term, (int) ((index * 13 + term * 101) % 180));
    }

    private long currentTerm() {
        long term = Math.max(1, hardState.currentTerm());
        return terms.isEmpty() ? term : Math.max(term, terms.get(terms.size() - 1));
    }

    /** Chooses an operation valid for the current state, applies it here and returns its line. */
    String randomOperation(Random random) {
        int kind = random.nextInt(100);
        String line;
        if (kind < 55) {
            long from = last() + 1;
            line = "A " + from + " " + (from + random.nextInt(12)) + " " + currentTerm();
        } else if (kind < 75) {
            long from = Math.max(first, last() + 1 - random.nextInt(40));
            long term = currentTerm() + 1;
            long commit = Math.min(hardState.commitIndex(), from - 1);
            line = "P " + from + " " + (from + random.nextInt(10)) + " " + term + " " + term + " n"
                    + random.nextInt(3) + " " + commit;
        } else if (kind < 80) {
            line = "T " + Math.max(first, last() + 1 - random.nextInt(20));
        } else if (kind < 88) {
            long commit = Math.max(hardState.commitIndex(), Math.min(last(), first - 1 + random.nextInt(terms.size()
                    + 1)));
            line = "H " + currentTerm() + " - " + commit;
        } else {
            long upTo = random.nextInt(15) == 0 ? last() + 1 + random.nextInt(30)
                    : first - 1 + random.nextInt(terms.size() + 1);
            line = "C " + upTo;
        }
        apply(line);
        return line;
    }

    /** Applies an operation line to this history. */
    void apply(String line) {
        String[] f = line.split(" ");
        switch (f[0]) {
            case "A" -> replaceFrom(Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]));
            case "P" -> {
                replaceFrom(Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]));
                hardState = hardState(f[4], f[5], f[6]);
            }
            case "H" -> hardState = hardState(f[1], f[2], f[3]);
            case "C" -> compact(Long.parseLong(f[1]));
            case "T" -> replaceFrom(Long.parseLong(f[1]), Long.parseLong(f[1]) - 1, 0);
            default -> throw new IllegalArgumentException("unknown operation " + line);
        }
    }

    /** Submits an operation line to {@code log}. */
    static CompletableFuture<Void> submit(String line, SegmentedLog log) {
        String[] f = line.split(" ");
        return switch (f[0]) {
            case "A" -> log.append(entries(Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3])));
            case "P" -> log.persist(hardState(f[4], f[5], f[6]),
                    entries(Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3])));
            case "H" -> log.persist(hardState(f[1], f[2], f[3]), List.of());
            case "C" -> log.compactPrefix(Long.parseLong(f[1]));
            case "T" -> log.truncateSuffix(Long.parseLong(f[1]));
            default -> throw new IllegalArgumentException("unknown operation " + line);
        };
    }

    private static List<LogEntry> entries(long from, long to, long term) {
        List<LogEntry> list = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            list.add(entry(i, term));
        }
        return list;
    }

    private static HardState hardState(String term, String vote, String commit) {
        return new HardState(Long.parseLong(term), vote.equals("-") ? null : NodeId.of(vote), Long.parseLong(commit));
    }

    private void replaceFrom(long from, long to, long term) {
        while (last() >= from) {
            terms.remove(terms.size() - 1);
        }
        for (long i = from; i <= to; i++) {
            terms.add(term);
        }
    }

    private void compact(long upTo) {
        if (upTo + 1 <= first) {
            return;
        }
        if (upTo >= last()) {
            terms.clear();
        } else {
            terms.subList(0, (int) (upTo + 1 - first)).clear();
        }
        first = upTo + 1;
    }

    /** Whether the recovered {@code entries}, first index and hard state are exactly this history. */
    boolean matches(long firstIndex, List<LogEntry> entries, HardState recoveredHardState) {
        if (firstIndex != first || entries.size() != terms.size() || !recoveredHardState.equals(hardState)) {
            return false;
        }
        for (int i = 0; i < entries.size(); i++) {
            if (!entries.get(i).equals(entry(first + i, terms.get(i)))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "[" + first + ", " + last() + "] " + hardState;
    }
}
