package io.raftkv.transport;

import io.raftkv.core.EntryType;

/**
 * Wire codes of {@link EntryType}, fixed here rather than taken from ordinals so that reordering the
 * core's enum cannot change the protocol. Code 0 is left unused, so a zeroed buffer is never valid.
 */
final class WireEntryType {
    private WireEntryType() {}

    static int code(EntryType type) {
        return switch (type) {
            case NORMAL -> 1;
            case NO_OP -> 2;
            case CONFIG -> 3;
        };
    }

    static EntryType fromCode(int code) throws CorruptFrameException {
        return switch (code) {
            case 1 -> EntryType.NORMAL;
            case 2 -> EntryType.NO_OP;
            case 3 -> EntryType.CONFIG;
            default -> throw new CorruptFrameException("unknown entry type " + code);
        };
    }
}
