package io.raftkv.kv;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * A Redis glob pattern, as KEYS and SCAN MATCH use it: {@code *} matches any run of bytes,
 * {@code ?} one byte, {@code [abc]}, {@code [a-z]} and {@code [^a]} a byte class, and a backslash
 * makes the next byte literal. Matching works on bytes, like Redis's {@code stringmatchlen}.
 *
 * <p>Why our own matcher: the pattern comes from a client, so it must not be able to stall a
 * server thread. The pattern is compiled once into tokens and matched with the classic
 * backtrack-to-the-last-star algorithm, which is O(pattern x key) in the worst case, where a naive
 * recursive matcher is exponential for patterns such as {@code a*a*a*a*b}.
 */
public final class GlobPattern {

    /** The pattern that matches every key. */
    public static final GlobPattern ANY = compile(Bytes.utf8("*"));

    private final Bytes source;
    private final List<Token> tokens;
    /** True when the pattern is only stars: it matches without looking at the key. */
    private final boolean matchesEverything;

    private GlobPattern(Bytes source, List<Token> tokens) {
        this.source = source;
        this.tokens = tokens;
        this.matchesEverything = tokens.stream().allMatch(token -> token.kind == Kind.STAR);
    }

    /** Compiles {@code pattern}; every byte string is a valid pattern. */
    public static GlobPattern compile(Bytes pattern) {
        List<Token> tokens = new ArrayList<>();
        int length = pattern.length();
        int i = 0;
        while (i < length) {
            byte b = pattern.byteAt(i);
            if (b == '*') {
                if (tokens.isEmpty() || tokens.get(tokens.size() - 1).kind != Kind.STAR) {
                    tokens.add(Token.STAR);
                }
                i++;
            } else if (b == '?') {
                tokens.add(Token.ANY_BYTE);
                i++;
            } else if (b == '[') {
                i = compileClass(pattern, i + 1, tokens);
            } else if (b == '\\' && i + 1 < length) {
                tokens.add(Token.literal(pattern.byteAt(i + 1)));
                i += 2;
            } else {
                tokens.add(Token.literal(b));
                i++;
            }
        }
        return new GlobPattern(pattern, List.copyOf(tokens));
    }

    /** Compiles a class starting after its '['; returns the index after its ']'. */
    private static int compileClass(Bytes pattern, int start, List<Token> tokens) {
        int length = pattern.length();
        int i = start;
        boolean negated = i < length && pattern.byteAt(i) == '^';
        if (negated) {
            i++;
        }
        BitSet members = new BitSet(256);
        // Like Redis, an unterminated class ends at the end of the pattern.
        while (i < length && pattern.byteAt(i) != ']') {
            int b = pattern.byteAt(i) & 0xff;
            if (b == '\\' && i + 1 < length) {
                members.set(pattern.byteAt(i + 1) & 0xff);
                i += 2;
            } else if (i + 2 < length && pattern.byteAt(i + 1) == '-' && pattern.byteAt(i + 2) != ']') {
                int end = pattern.byteAt(i + 2) & 0xff;
                members.set(Math.min(b, end), Math.max(b, end) + 1);
                i += 3;
            } else {
                members.set(b);
                i++;
            }
        }
        tokens.add(new Token(Kind.CLASS, (byte) 0, members, negated));
        return i < length ? i + 1 : i;
    }

    /** The pattern as the client wrote it. */
    public Bytes source() {
        return source;
    }

    /** Whether {@code key} matches the whole pattern. */
    public boolean matches(Bytes key) {
        if (matchesEverything) {
            return true;
        }
        int keyLength = key.length();
        int tokenCount = tokens.size();
        int k = 0;
        int t = 0;
        int starToken = -1;
        int starKey = 0;
        while (k < keyLength) {
            if (t < tokenCount && tokens.get(t).kind != Kind.STAR && tokens.get(t).matches(key.byteAt(k))) {
                t++;
                k++;
            } else if (t < tokenCount && tokens.get(t).kind == Kind.STAR) {
                starToken = t++;
                starKey = k;
            } else if (starToken >= 0) {
                // Let the last star swallow one more byte and retry from there.
                t = starToken + 1;
                k = ++starKey;
            } else {
                return false;
            }
        }
        while (t < tokenCount && tokens.get(t).kind == Kind.STAR) {
            t++;
        }
        return t == tokenCount;
    }

    @Override
    public String toString() {
        return source.toString();
    }

    private enum Kind { LITERAL, ANY_BYTE, CLASS, STAR }

    /** One compiled element of the pattern. */
    private record Token(Kind kind, byte literal, BitSet members, boolean negated) {
        static final Token STAR = new Token(Kind.STAR, (byte) 0, null, false);
        static final Token ANY_BYTE = new Token(Kind.ANY_BYTE, (byte) 0, null, false);

        static Token literal(byte b) {
            return new Token(Kind.LITERAL, b, null, false);
        }

        boolean matches(byte b) {
            return switch (kind) {
                case LITERAL -> b == literal;
                case ANY_BYTE -> true;
                case CLASS -> members.get(b & 0xff) != negated;
                case STAR -> true;
            };
        }
    }
}
