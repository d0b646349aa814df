package io.raftkv.kv;

import java.util.List;

/**
 * One page of a SCAN: the keys found and the cursor to continue from (0 when the scan is complete).
 *
 * @param cursor the next cursor; 0 means done
 * @param keys   the matching keys of this page
 */
public record ScanPage(long cursor, List<Bytes> keys) {
    public ScanPage {
        keys = List.copyOf(keys);
    }
}
