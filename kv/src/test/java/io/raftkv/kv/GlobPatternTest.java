package io.raftkv.kv;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Redis glob semantics (stringmatchlen) and linear-time matching of hostile patterns. */
class GlobPatternTest {

    private static boolean matches(String pattern, String key) {
        return GlobPattern.compile(Bytes.utf8(pattern)).matches(Bytes.utf8(key));
    }

    @Test
    void redisGlobSemantics() {
        assertThat(matches("*", "")).isTrue();
        assertThat(matches("*", "anything")).isTrue();
        assertThat(matches("h?llo", "hello")).isTrue();
        assertThat(matches("h?llo", "hllo")).isFalse();
        assertThat(matches("h*llo", "hllo")).isTrue();
        assertThat(matches("h*llo", "heeeello")).isTrue();
        assertThat(matches("h[ae]llo", "hallo")).isTrue();
        assertThat(matches("h[ae]llo", "hillo")).isFalse();
        assertThat(matches("h[^e]llo", "hallo")).isTrue();
        assertThat(matches("h[^e]llo", "hello")).isFalse();
        assertThat(matches("h[a-b]llo", "hbllo")).isTrue();
        assertThat(matches("h[b-a]llo", "hallo")).isTrue();
        assertThat(matches("h[a-b]llo", "hcllo")).isFalse();
        assertThat(matches("h\\*llo", "h*llo")).isTrue();
        assertThat(matches("h\\*llo", "hello")).isFalse();
        assertThat(matches("[\\]]", "]")).isTrue();
        assertThat(matches("user:*:name", "user:42:name")).isTrue();
        assertThat(matches("user:*:name", "user:42:email")).isFalse();
        assertThat(matches("abc", "abcd")).isFalse();
        assertThat(matches("a*", "")).isFalse();
        assertThat(matches("trailing\\", "trailing\\")).isTrue();
        assertThat(matches("[abc", "b")).isTrue();
    }

    @Test
    void matchesBytesNotCharacters() {
        GlobPattern pattern = GlobPattern.compile(Bytes.copyOf(new byte[] {'?', (byte) 0xff}));
        assertThat(pattern.matches(Bytes.copyOf(new byte[] {0, (byte) 0xff}))).isTrue();
        assertThat(pattern.matches(Bytes.copyOf(new byte[] {0, 0}))).isFalse();
    }

    @Test
    void hostilePatternsStayFast() {
        String pattern = "a*".repeat(50) + "b";
        String key = "a".repeat(10_000);
        long started = System.nanoTime();
        assertThat(matches(pattern, key)).isFalse();
        assertThat(System.nanoTime() - started).isLessThan(2_000_000_000L);
    }
}
