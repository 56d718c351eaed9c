import type { Figure } from "./report/report.js";

export interface SuiteOptions {
  /** A small version that runs in seconds (CI smoke test); its figures are not meaningful. */
  quick: boolean;
}

/** One benchmark: measures its figures, each beside a baseline measured in the same run. */
export interface Suite {
  name: string;
  title: string;
  run(options: SuiteOptions): Promise<Figure[]> | Figure[];
}
