/**
 * Keeps a file engine's state changes in the order of its log. Replaying the log must rebuild the state, so every
 * change is applied in the order its record holds in the log — but records reach their place at different times:
 * an ingest batch is applied only once it is durable, while a recommendation request is answered (and so applied)
 * at once and made durable behind the answer. Each change therefore takes a turn, in the order its record was
 * queued in the log, and its turn comes only after the turns of every record queued before it.
 */
export class LogOrder {
  /** Settles once every turn taken so far has run (or failed). */
  private tail: Promise<unknown> = Promise.resolve();

  /**
   * Runs `apply` with what `ready` resolves to, after every earlier turn. Call it in the same synchronous step that
   * queued the record in the log, so turns and records are in the same order. A rejected `ready` skips `apply` and
   * rejects the returned promise; later turns still run.
   */
  inTurn<T, U>(ready: Promise<T>, apply: (value: T) => U): Promise<U> {
    const turn = this.tail.then(() => ready).then(apply);
    this.tail = turn.then(settled, settled);
    return turn;
  }
}

function settled(): void {}
