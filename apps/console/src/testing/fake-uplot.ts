// Test support (not part of the console): jsdom has no canvas, so component tests draw with this stand-in for
// uPlot, which keeps what it was given.
type Data = (number | null)[][];

export class FakeUPlot {
  static instances: FakeUPlot[] = [];
  data: Data;
  destroyed = false;

  constructor(
    readonly options: { series: { label?: string }[] },
    data: Data,
    readonly target: HTMLElement,
  ) {
    this.data = data;
    FakeUPlot.instances.push(this);
  }

  setData(data: Data): void {
    this.data = data;
  }

  setSize(): void {}

  destroy(): void {
    this.destroyed = true;
  }

  /** The live charts' series labels (the first series is the x axis). */
  get labels(): string[] {
    return this.options.series.slice(1).map((series) => series.label ?? "");
  }
}
