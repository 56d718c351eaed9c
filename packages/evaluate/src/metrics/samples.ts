/** An append-only list of numbers in a growing Float64Array: per-request figures without an object each. */
export class Samples {
  private values = new Float64Array(1024);
  length = 0;

  push(value: number): void {
    if (this.length === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = value;
  }

  at(index: number): number {
    return this.values[index]!;
  }

  /** A copy of the values, safe to sort. */
  toArray(): Float64Array {
    return this.values.slice(0, this.length);
  }
}
