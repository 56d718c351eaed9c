/**
 * The best `capacity` of a stream of scored items, kept sorted by insertion (score descending, then a per-request
 * tie-break value, then item id) in parallel arrays: a request ranks hundreds of candidates to return ten, so
 * sorting them all, or allocating an object per candidate, would be wasted work.
 */
export class TopSelection {
  readonly items: number[] = [];
  readonly scores: number[] = [];
  private readonly ties: number[] = [];

  constructor(readonly capacity: number) {}

  offer(item: number, score: number, tie: number): void {
    let at = this.items.length;
    if (at === this.capacity) {
      if (
        this.capacity === 0 ||
        !before(score, tie, item, this.scores[at - 1]!, this.ties[at - 1]!, this.items[at - 1]!)
      ) {
        return;
      }
      at--;
    } else {
      this.items.push(item);
      this.scores.push(score);
      this.ties.push(tie);
    }
    while (
      at > 0 &&
      before(score, tie, item, this.scores[at - 1]!, this.ties[at - 1]!, this.items[at - 1]!)
    ) {
      this.items[at] = this.items[at - 1]!;
      this.scores[at] = this.scores[at - 1]!;
      this.ties[at] = this.ties[at - 1]!;
      at--;
    }
    this.items[at] = item;
    this.scores[at] = score;
    this.ties[at] = tie;
  }
}

function before(
  score: number,
  tie: number,
  item: number,
  otherScore: number,
  otherTie: number,
  otherItem: number,
): boolean {
  return (
    score > otherScore || (score === otherScore && (tie < otherTie || (tie === otherTie && item < otherItem)))
  );
}
