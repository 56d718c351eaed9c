import { content } from "./content.js";
import { cooccurrence } from "./cooccurrence.js";
import { history } from "./history.js";
import { offline } from "./offline.js";
import { personal } from "./personal.js";
import { popular } from "./popular.js";
import { search } from "./search.js";
import { session } from "./session.js";
import type { StrategyTable } from "./strategy.js";

/** Every strategy by the name placements use; the mapped type makes a missing one a type error. */
export const STRATEGIES: StrategyTable = {
  popular,
  cooccurrence,
  session,
  personal,
  content,
  history,
  offline,
  search,
};
