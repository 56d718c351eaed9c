/**
 * A Map plus the order its entries were (re)inserted, for dropping the oldest in O(1). Iterating a Map from its
 * start to find its oldest entry is not O(1) in V8: deleted entries stay in the table until it is rehashed, so a
 * Map used as a FIFO (add newest, delete oldest) makes every such iteration step over everything evicted before.
 */
export class EvictionQueue<K, V> {
  readonly map = new Map<K, V>();
  private entries: { key: K; value: V }[] = [];
  private head = 0;

  /** Sets `key` to `value` as the newest entry. */
  add(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    this.entries.push({ key, value });
  }

  /** The oldest live entry. */
  oldest(): { key: K; value: V } | undefined {
    while (this.head < this.entries.length) {
      const entry = this.entries[this.head]!;
      if (this.map.get(entry.key) === entry.value) return entry;
      this.head++;
    }
    return undefined;
  }

  /** Drops the oldest live entry. */
  dropOldest(): void {
    const entry = this.oldest();
    if (!entry) return;
    this.map.delete(entry.key);
    this.head++;
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
  }

  delete(key: K): void {
    this.map.delete(key);
  }

  /** Forgets everything and takes the entries of `map` in its order (after a snapshot is read). */
  reset(entries: Iterable<[K, V]> = []): void {
    this.map.clear();
    this.entries = [];
    this.head = 0;
    for (const [key, value] of entries) this.add(key, value);
  }
}
