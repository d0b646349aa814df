package io.raftkv.loadgen.resp;

/**
 * Classifies Redis-protocol error replies by their code, the first word: {@code NOTLEADER},
 * {@code TRYAGAIN}, {@code BUSY}, {@code UNKNOWN} (raftkv's codes, docs/kv.md) and {@code ERR}. A
 * reply without an upper-case first word counts as {@code ERR}.
 */
final class RespErrors {
    private static final int CODE_LENGTH_MAX = 24;

    private RespErrors() {
    }

    static String kindOf(String message) {
        int end = 0;
        while (end < message.length() && end < CODE_LENGTH_MAX) {
            char ch = message.charAt(end);
            if ((ch < 'A' || ch > 'Z') && ch != '_') {
                break;
            }
            end++;
        }
        boolean wholeWord = end == message.length() || message.charAt(end) == ' ';
        return end > 0 && wholeWord ? message.substring(0, end) : "ERR";
    }
}
