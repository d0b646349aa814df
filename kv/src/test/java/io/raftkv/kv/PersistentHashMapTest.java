package io.raftkv.kv;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The persistent hash trie against java.util.HashMap, including forced hash collisions. */
class PersistentHashMapTest {

    /** A key whose hash code the test chooses, to force collisions at every level. */
    private record Key(int hash, int id) {
        @Override
        public int hashCode() {
            return hash;
        }
    }

    @Test
    void behavesLikeAHashMapUnderRandomOperations() {
        Random random = new Random(7);
        PersistentHashMap<Key, Integer> map = PersistentHashMap.empty();
        Map<Key, Integer> model = new HashMap<>();
        for (int step = 0; step < 50_000; step++) {
            // Few distinct hashes, many ids: lots of full collisions and shared prefixes.
            Key key = new Key(random.nextInt(64) * 0x01010101, random.nextInt(8));
            if (random.nextInt(3) == 0) {
                map = map.remove(key);
                model.remove(key);
            } else {
                int value = random.nextInt();
                map = map.put(key, value);
                model.put(key, value);
            }
            assertThat(map.size()).isEqualTo(model.size());
            if (step % 1000 == 0) {
                assertSameContents(map, model);
            }
        }
        assertSameContents(map, model);
    }

    private static void assertSameContents(PersistentHashMap<Key, Integer> map, Map<Key, Integer> model) {
        Map<Key, Integer> seen = new HashMap<>();
        map.forEach((key, value) -> assertThat(seen.put(key, value)).isNull());
        assertThat(seen).isEqualTo(model);
        model.forEach((key, value) -> assertThat(map.get(key)).isEqualTo(value));
    }

    @Test
    void oldVersionsNeverChange() {
        PersistentHashMap<Bytes, Integer> map = PersistentHashMap.empty();
        List<PersistentHashMap<Bytes, Integer>> versions = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            versions.add(map);
            map = i % 3 == 2 ? map.remove(Bytes.utf8("k" + (i - 1))) : map.put(Bytes.utf8("k" + i), i);
        }
        PersistentHashMap<Bytes, Integer> replay = PersistentHashMap.empty();
        for (int i = 0; i < 2000; i++) {
            assertThat(versions.get(i).size()).isEqualTo(replay.size());
            assertThat(versions.get(i).get(Bytes.utf8("k" + (i - 1)))).isEqualTo(replay.get(Bytes.utf8("k" + (i - 1))));
            replay = i % 3 == 2 ? replay.remove(Bytes.utf8("k" + (i - 1))) : replay.put(Bytes.utf8("k" + i), i);
        }
    }

    @Test
    void iterationIsInAscendingUnsignedHashOrder() {
        PersistentHashMap<Integer, Integer> map = PersistentHashMap.empty();
        Random random = new Random(3);
        for (int i = 0; i < 5000; i++) {
            int key = random.nextInt();
            map = map.put(key, key);
        }
        long[] previous = {-1};
        map.forEach((key, value) -> {
            long hash = Integer.toUnsignedLong(PersistentHashMap.hashOf(key));
            assertThat(hash).isGreaterThanOrEqualTo(previous[0]);
            previous[0] = hash;
        });
    }

    @Test
    void scanWithCollisionsReturnsEachKeyOnce() {
        PersistentHashMap<Key, Integer> map = PersistentHashMap.empty();
        Set<Key> all = new HashSet<>();
        for (int hash = 0; hash < 50; hash++) {
            for (int id = 0; id < 5; id++) {
                Key key = new Key(hash, id);
                map = map.put(key, id);
                all.add(key);
            }
        }
        List<Key> seen = new ArrayList<>();
        long cursor = 0;
        do {
            cursor = map.scan(cursor, 3, (key, value) -> seen.add(key));
        } while (cursor != 0);
        assertThat(seen).hasSize(all.size());
        assertThat(new HashSet<>(seen)).isEqualTo(all);
    }

    @Test
    void removingEverythingLeavesAnEmptyMap() {
        PersistentHashMap<Bytes, Integer> map = PersistentHashMap.empty();
        for (int i = 0; i < 3000; i++) {
            map = map.put(Bytes.utf8("k" + i), i);
        }
        for (int i = 0; i < 3000; i++) {
            map = map.remove(Bytes.utf8("k" + i));
        }
        assertThat(map.size()).isZero();
        int[] count = {0};
        map.forEach((key, value) -> count[0]++);
        assertThat(count[0]).isZero();
        assertThat(map.scan(0, 10, (key, value) -> count[0]++)).isZero();
    }

    @Test
    void puttingTheSameValueReturnsTheSameMap() {
        Bytes value = Bytes.utf8("v");
        PersistentHashMap<Bytes, Bytes> map = PersistentHashMap.<Bytes, Bytes>empty().put(Bytes.utf8("k"), value);
        assertThat(map.put(Bytes.utf8("k"), value)).isSameAs(map);
        assertThat(map.remove(Bytes.utf8("absent"))).isSameAs(map);
    }
}
