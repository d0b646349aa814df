package io.raftkv.kv;

import java.util.Arrays;
import java.util.function.BiConsumer;

/**
 * An immutable hash array mapped trie (Bagwell 2001; the structure behind Clojure's and Scala's
 * persistent maps). Every update returns a new map that shares all untouched nodes with the old
 * one, so keeping an old version costs nothing: this is how the state machine takes a snapshot in
 * O(1) while it keeps applying (R-SNAP-2), and how reader threads see one consistent version
 * without locks.
 *
 * <h2>Layout</h2>
 * The trie branches on the <em>mixed</em> 32-bit hash of a key, five bits per level starting at the
 * most significant bits (levels 0..5 use bits 31..2, level 6 the last two). An in-order walk
 * therefore visits keys in ascending unsigned hash order, which gives SCAN a stable cursor: the
 * next hash to visit. A slot holds either a {@link Leaf}, a child {@link BitmapNode}, or a
 * {@link CollisionNode} for distinct keys whose 32-bit hashes are equal. Empty children are
 * removed and a child left with a single leaf is pulled up, so the shape stays compact.
 *
 * <p>Keys must have a deterministic {@code hashCode} (as {@link Bytes} and {@link Long} do) so that
 * iteration order, and with it SCAN cursors and snapshot bytes, are the same on every replica.
 * Nodes are never modified after construction; a map is safe to read from any thread once it has
 * been published through a volatile field or another happens-before edge.
 *
 * @param <K> key type with a deterministic hash code
 * @param <V> value type; values should be immutable
 */
final class PersistentHashMap<K, V> {

    private static final int BITS_PER_LEVEL = 5;
    private static final int TOP_SHIFT = 32 - BITS_PER_LEVEL;

    private static final PersistentHashMap<?, ?> EMPTY =
            new PersistentHashMap<>(new BitmapNode(0, new Object[0]), 0);

    /** The root; an empty map has an empty bitmap node. Never null. */
    private final BitmapNode root;
    /** The number of keys. */
    private final int size;

    private PersistentHashMap(BitmapNode root, int size) {
        this.root = root;
        this.size = size;
    }

    /** The empty map. */
    @SuppressWarnings("unchecked")
    static <K, V> PersistentHashMap<K, V> empty() {
        return (PersistentHashMap<K, V>) EMPTY;
    }

    /** The number of keys. */
    int size() {
        return size;
    }

    /** The value of {@code key}, or null if absent. */
    @SuppressWarnings("unchecked")
    V get(K key) {
        int hash = hashOf(key);
        Object node = root;
        for (int level = 0; ; level++) {
            if (node instanceof BitmapNode bitmapNode) {
                int bit = 1 << index(hash, level);
                if ((bitmapNode.bitmap & bit) == 0) {
                    return null;
                }
                node = bitmapNode.slots[Integer.bitCount(bitmapNode.bitmap & (bit - 1))];
            } else if (node instanceof Leaf<?, ?> leaf) {
                return leaf.hash == hash && leaf.key.equals(key) ? (V) leaf.value : null;
            } else {
                return (V) ((CollisionNode) node).find(hash, key);
            }
        }
    }

    /** Whether {@code key} is present. */
    boolean containsKey(K key) {
        return get(key) != null;
    }

    /** A map with {@code key} bound to {@code value}. */
    PersistentHashMap<K, V> put(K key, V value) {
        Change change = new Change();
        BitmapNode newRoot = root.put(0, new Leaf<>(hashOf(key), key, value), change);
        if (newRoot == root) {
            return this;
        }
        return new PersistentHashMap<>(newRoot, change.added ? size + 1 : size);
    }

    /** A map without {@code key}. */
    PersistentHashMap<K, V> remove(K key) {
        Change change = new Change();
        BitmapNode newRoot = root.remove(0, hashOf(key), key, change);
        if (!change.removed) {
            return this;
        }
        return new PersistentHashMap<>(newRoot, size - 1);
    }

    /** Calls {@code action} for every entry, in ascending unsigned hash order. */
    @SuppressWarnings("unchecked")
    void forEach(BiConsumer<? super K, ? super V> action) {
        visit(root, 0, 0, false, leaf -> {
            action.accept((K) leaf.key, (V) leaf.value);
            return true;
        });
    }

    /**
     * Visits entries whose hash is at least {@code cursor}, in ascending hash order, until at least
     * {@code count} entries were visited (always finishing a group of equal hashes).
     *
     * @param cursor 0 to start, or a value returned by an earlier call
     * @return the cursor to continue from, or 0 when the walk reached the end
     */
    @SuppressWarnings("unchecked")
    long scan(long cursor, int count, BiConsumer<? super K, ? super V> action) {
        if (cursor < 0 || cursor > 0xffff_ffffL) {
            throw new IllegalArgumentException("cursor out of range: " + cursor);
        }
        int[] visited = {0};
        long[] lastHash = {-1};
        boolean finished = visit(root, 0, (int) cursor, true, leaf -> {
            action.accept((K) leaf.key, (V) leaf.value);
            visited[0]++;
            lastHash[0] = Integer.toUnsignedLong(leaf.hash);
            return true;
        }, () -> visited[0] < count);
        if (finished || lastHash[0] == 0xffff_ffffL) {
            return 0;
        }
        return lastHash[0] + 1;
    }

    /** A visitor of leaves; returns false to stop. */
    @FunctionalInterface
    private interface LeafVisitor {
        boolean visit(Leaf<?, ?> leaf);
    }

    /** Asked after each group of equal hashes; returns false to stop the walk there. */
    @FunctionalInterface
    private interface ContinueCondition {
        boolean shouldContinue();
    }

    private static boolean visit(Object node, int level, int from, boolean bounded, LeafVisitor visitor) {
        return visit(node, level, from, bounded, visitor, () -> true);
    }

    /**
     * Walks {@code node} in hash order. {@code bounded} means this node lies on the path of
     * {@code from}, so slots before {@code from}'s index are skipped.
     *
     * @return true if the walk completed, false if it stopped early
     */
    private static boolean visit(Object node, int level, int from, boolean bounded,
                                 LeafVisitor visitor, ContinueCondition condition) {
        BitmapNode bitmapNode = (BitmapNode) node;
        int startIndex = bounded ? index(from, level) : 0;
        int bitmap = bitmapNode.bitmap;
        int position = 0;
        while (bitmap != 0) {
            int bit = Integer.lowestOneBit(bitmap);
            bitmap &= ~bit;
            int slotIndex = Integer.numberOfTrailingZeros(bit);
            Object slot = bitmapNode.slots[position++];
            if (slotIndex < startIndex) {
                continue;
            }
            boolean childBounded = bounded && slotIndex == startIndex;
            if (slot instanceof BitmapNode) {
                if (!visit(slot, level + 1, from, childBounded, visitor, condition)) {
                    return false;
                }
                continue;
            }
            int hash = hashOfEntry(slot);
            if (childBounded && Integer.compareUnsigned(hash, from) < 0) {
                continue;
            }
            if (slot instanceof Leaf<?, ?> leaf) {
                visitor.visit(leaf);
            } else {
                for (Leaf<?, ?> leaf : ((CollisionNode) slot).leaves) {
                    visitor.visit(leaf);
                }
            }
            if (!condition.shouldContinue()) {
                return false;
            }
        }
        return true;
    }

    /** The slot index of {@code hash} at {@code level}; ascending indexes mean ascending hashes. */
    static int index(int hash, int level) {
        int shift = TOP_SHIFT - BITS_PER_LEVEL * level;
        return shift >= 0 ? (hash >>> shift) & 0x1f : (hash << -shift) & 0x1f;
    }

    /** The trie position of a key: its hash code, mixed so that weak hashes (Long) spread well. */
    static int hashOf(Object key) {
        return Bytes.finalMix(key.hashCode());
    }

    private static int hashOfEntry(Object entry) {
        return entry instanceof Leaf<?, ?> leaf ? leaf.hash : ((CollisionNode) entry).hash;
    }

    /** What an update did, reported upwards by the recursive put and remove. */
    private static final class Change {
        boolean added;
        boolean removed;
    }

    /** One key and its value, with the key's mixed hash. */
    private record Leaf<K, V>(int hash, K key, V value) {
    }

    /** Keys with the same 32-bit hash, in insertion order (deterministic on every replica). */
    private static final class CollisionNode {
        final int hash;
        final Leaf<?, ?>[] leaves;

        CollisionNode(int hash, Leaf<?, ?>[] leaves) {
            this.hash = hash;
            this.leaves = leaves;
        }

        Object find(int searchHash, Object key) {
            if (searchHash != hash) {
                return null;
            }
            for (Leaf<?, ?> leaf : leaves) {
                if (leaf.key.equals(key)) {
                    return leaf.value;
                }
            }
            return null;
        }

        CollisionNode put(Leaf<?, ?> leaf, Change change) {
            for (int i = 0; i < leaves.length; i++) {
                if (leaves[i].key.equals(leaf.key)) {
                    Leaf<?, ?>[] copy = leaves.clone();
                    copy[i] = leaf;
                    return new CollisionNode(hash, copy);
                }
            }
            Leaf<?, ?>[] copy = Arrays.copyOf(leaves, leaves.length + 1);
            copy[leaves.length] = leaf;
            change.added = true;
            return new CollisionNode(hash, copy);
        }

        /** Returns this node if the key is absent, a single leaf if one key remains. */
        Object remove(Object key, Change change) {
            for (int i = 0; i < leaves.length; i++) {
                if (leaves[i].key.equals(key)) {
                    change.removed = true;
                    if (leaves.length == 2) {
                        return leaves[1 - i];
                    }
                    Leaf<?, ?>[] copy = new Leaf<?, ?>[leaves.length - 1];
                    System.arraycopy(leaves, 0, copy, 0, i);
                    System.arraycopy(leaves, i + 1, copy, i, leaves.length - i - 1);
                    return new CollisionNode(hash, copy);
                }
            }
            return this;
        }
    }

    /** An inner node: a 32-bit bitmap of occupied slots and a dense array of those slots. */
    private static final class BitmapNode {
        final int bitmap;
        final Object[] slots;

        BitmapNode(int bitmap, Object[] slots) {
            this.bitmap = bitmap;
            this.slots = slots;
        }

        BitmapNode put(int level, Leaf<?, ?> leaf, Change change) {
            int bit = 1 << index(leaf.hash, level);
            int position = Integer.bitCount(bitmap & (bit - 1));
            if ((bitmap & bit) == 0) {
                change.added = true;
                Object[] copy = new Object[slots.length + 1];
                System.arraycopy(slots, 0, copy, 0, position);
                copy[position] = leaf;
                System.arraycopy(slots, position, copy, position + 1, slots.length - position);
                return new BitmapNode(bitmap | bit, copy);
            }
            Object existing = slots[position];
            Object replacement = merge(existing, level + 1, leaf, change);
            if (replacement == existing) {
                return this;
            }
            Object[] copy = slots.clone();
            copy[position] = replacement;
            return new BitmapNode(bitmap, copy);
        }

        /** Puts {@code leaf} into the occupied slot holding {@code existing}. */
        private static Object merge(Object existing, int childLevel, Leaf<?, ?> leaf, Change change) {
            if (existing instanceof BitmapNode child) {
                return child.put(childLevel, leaf, change);
            }
            int existingHash = hashOfEntry(existing);
            if (existingHash != leaf.hash) {
                change.added = true;
                return pair(childLevel, existing, existingHash, leaf);
            }
            if (existing instanceof CollisionNode collision) {
                return collision.put(leaf, change);
            }
            Leaf<?, ?> existingLeaf = (Leaf<?, ?>) existing;
            if (existingLeaf.key.equals(leaf.key)) {
                return existingLeaf.value == leaf.value ? existing : leaf;
            }
            change.added = true;
            return new CollisionNode(leaf.hash, new Leaf<?, ?>[] {existingLeaf, leaf});
        }

        /** A subtree holding two entries of different hashes, split at the first differing level. */
        private static BitmapNode pair(int level, Object first, int firstHash, Leaf<?, ?> second) {
            int firstIndex = index(firstHash, level);
            int secondIndex = index(second.hash, level);
            if (firstIndex == secondIndex) {
                return new BitmapNode(1 << firstIndex,
                        new Object[] {pair(level + 1, first, firstHash, second)});
            }
            Object[] slots = firstIndex < secondIndex ? new Object[] {first, second}
                    : new Object[] {second, first};
            return new BitmapNode((1 << firstIndex) | (1 << secondIndex), slots);
        }

        BitmapNode remove(int level, int hash, Object key, Change change) {
            int bit = 1 << index(hash, level);
            if ((bitmap & bit) == 0) {
                return this;
            }
            int position = Integer.bitCount(bitmap & (bit - 1));
            Object existing = slots[position];
            Object replacement;
            if (existing instanceof BitmapNode child) {
                BitmapNode newChild = child.remove(level + 1, hash, key, change);
                if (newChild == child) {
                    return this;
                }
                replacement = collapse(newChild);
            } else if (existing instanceof CollisionNode collision) {
                replacement = collision.remove(key, change);
                if (replacement == existing) {
                    return this;
                }
            } else {
                Leaf<?, ?> leaf = (Leaf<?, ?>) existing;
                if (leaf.hash != hash || !leaf.key.equals(key)) {
                    return this;
                }
                change.removed = true;
                replacement = null;
            }
            if (replacement != null) {
                Object[] copy = slots.clone();
                copy[position] = replacement;
                return new BitmapNode(bitmap, copy);
            }
            Object[] copy = new Object[slots.length - 1];
            System.arraycopy(slots, 0, copy, 0, position);
            System.arraycopy(slots, position + 1, copy, position, slots.length - position - 1);
            return new BitmapNode(bitmap & ~bit, copy);
        }

        /** An empty child disappears; a child holding one leaf or collision node is pulled up. */
        private static Object collapse(BitmapNode child) {
            if (child.slots.length == 0) {
                return null;
            }
            if (child.slots.length == 1 && !(child.slots[0] instanceof BitmapNode)) {
                return child.slots[0];
            }
            return child;
        }
    }
}
