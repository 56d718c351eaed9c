import type { Filter, InteractionKind, PlacementStrategy } from "@sibyl/events";
import { InvalidRequestError, UnknownPlacementError } from "../errors/engine-errors.js";
import { compileFilter } from "../filters/compile-filter.js";
import type { ItemFields } from "../filters/item-fields.js";
import type { StateReader } from "../state/state-reader.js";
import type { StateWriter } from "../state/state-writer.js";
import type { PlacementConfig } from "./default-placements.js";

export type ItemPredicate = (item: number) => boolean;

export interface ResolvedExclusions {
  inCart: boolean;
  purchased: boolean;
  seenInSession: boolean;
  outOfStock: boolean;
}

/** A placement ready to answer: its filter and boosts compiled once, its defaults resolved. */
export interface CompiledPlacement {
  id: string;
  config: PlacementConfig;
  strategies: readonly PlacementStrategy[];
  fallback: readonly PlacementStrategy[];
  count: number;
  maxCount: number;
  filter: ItemPredicate | undefined;
  boosts: readonly { predicate: ItemPredicate; factor: number }[];
  exclude: ResolvedExclusions;
}

const DEFAULT_COUNT = 10;
const DEFAULT_MAX_COUNT = 200;

/** The named placements, compiled when they are defined. */
export class Placements {
  private readonly placements = new Map<string, CompiledPlacement>();

  constructor(
    private readonly items: ItemFields,
    /** Told about every pair of interaction kinds a placement reads, so co-occurrence starts counting it. */
    private readonly usesPair: (from: InteractionKind, to: InteractionKind) => void,
  ) {}

  /** Compiles a configuration; throws InvalidFilterError or InvalidRequestError and changes nothing if it is wrong. */
  compile(config: PlacementConfig): CompiledPlacement {
    const count = config.count ?? DEFAULT_COUNT;
    const maxCount = config.max_count ?? Math.max(DEFAULT_MAX_COUNT, count);
    if (count > maxCount)
      throw new InvalidRequestError("/count", `count ${count} exceeds max_count ${maxCount}`);
    return {
      id: config.placement_id,
      config,
      strategies: config.strategies,
      fallback: config.fallback ?? [],
      count,
      maxCount,
      filter: config.filter === undefined ? undefined : this.compileFilter(config.filter),
      boosts: (config.boosts ?? []).map((boost) => ({
        predicate: this.compileFilter(boost.filter),
        factor: boost.factor,
      })),
      exclude: {
        inCart: config.exclude?.in_cart ?? true,
        purchased: config.exclude?.purchased ?? true,
        seenInSession: config.exclude?.seen_in_session ?? false,
        outOfStock: config.exclude?.out_of_stock ?? true,
      },
    };
  }

  compileFilter(filter: Filter): ItemPredicate {
    return compileFilter(filter, this.items);
  }

  upsert(config: PlacementConfig): CompiledPlacement {
    const compiled = this.compile(config);
    for (const strategy of [...compiled.strategies, ...compiled.fallback]) {
      const params = strategy.params ?? {};
      const readsPairs = strategy.strategy === "cooccurrence" || strategy.strategy === "session";
      if (
        (readsPairs && !params.same_transaction) ||
        params.from_kind !== undefined ||
        params.to_kind !== undefined
      ) {
        this.usesPair(params.from_kind ?? "view", params.to_kind ?? "view");
      }
    }
    this.placements.delete(config.placement_id);
    this.placements.set(config.placement_id, compiled);
    return compiled;
  }

  remove(id: string): boolean {
    return this.placements.delete(id);
  }

  /** The placement named `id`; throws UnknownPlacementError listing the known ones. */
  get(id: string): CompiledPlacement {
    const placement = this.placements.get(id);
    if (!placement) throw new UnknownPlacementError(id, [...this.placements.keys()].sort());
    return placement;
  }

  has(id: string): boolean {
    return this.placements.has(id);
  }

  list(): PlacementConfig[] {
    return [...this.placements.values()].map((placement) => placement.config);
  }

  writeState(out: StateWriter): void {
    out.u32(this.placements.size);
    for (const placement of this.placements.values()) out.string(JSON.stringify(placement.config));
  }

  readState(input: StateReader): void {
    this.placements.clear();
    const count = input.u32();
    for (let index = 0; index < count; index++) this.upsert(JSON.parse(input.string()) as PlacementConfig);
  }
}
