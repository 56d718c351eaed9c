import { createEngine, type Engine, type PlacementConfig, SibylEngineError } from "@sibyl/engine";
import { type PlacementUpsert, validateEvent } from "@sibyl/events";
import { InvalidWhatIfError } from "../errors/evaluation-errors.js";
import type { RecommendQuery, Recommender } from "./recommender.js";

/** A placement configuration evaluated without being live, under a label of its own. */
export interface WhatIfPlacement {
  /** Names it in the report as `what-if:<label>`; a file's base name is a good label. */
  label: string;
  config: PlacementConfig;
}

/**
 * Whether requests carry a context item: `auto` gives one to placements whose strategies relate items to items
 * (co-occurrence, content) — product pages — and none to placements about the visitor (home, session).
 */
export type ContextOption = "auto" | "last-item" | "none";

const ITEM_TO_ITEM = new Set(["cooccurrence", "content"]);

export function contextModeOf(config: PlacementConfig, option: ContextOption): "last-item" | "none" {
  if (option !== "auto") return option;
  return config.strategies.some((strategy) => ITEM_TO_ITEM.has(strategy.strategy)) ? "last-item" : "none";
}

/** A live placement of the engine (a default one or one defined by a PlacementUpsert in the events). */
export function livePlacement(
  engine: Engine,
  placementId: string,
  context: "last-item" | "none",
): Recommender {
  const description = engine.placements().find((config) => config.placement_id === placementId)?.description;
  return {
    id: placementId,
    kind: "placement",
    description: description ?? `the live placement ${placementId}`,
    context,
    recommend: (query) => previewIds(engine, placementId, query, context),
  };
}

/** A what-if configuration, answered by the same engine through `preview` (nothing live changes). */
export function whatIfRecommender(
  engine: Engine,
  whatIf: WhatIfPlacement,
  context: "last-item" | "none",
): Recommender {
  return {
    id: `what-if:${whatIf.label}`,
    kind: "what-if",
    description: whatIf.config.description ?? `what-if ${whatIf.config.placement_id}`,
    context,
    recommend: (query) => previewIds(engine, whatIf.config.placement_id, query, context, whatIf.config),
  };
}

function previewIds(
  engine: Engine,
  placement: string,
  query: RecommendQuery,
  context: "last-item" | "none",
  config?: PlacementConfig,
): string[] {
  const response = engine.preview(
    {
      event_type: "RecoRequest",
      placement,
      user_info: query.userInfo,
      event_time: query.timeMs,
      count: query.k,
      ...(context === "last-item" && query.contextItem !== undefined
        ? { context_item_ids: [query.contextItem] }
        : {}),
      ...(query.exclude.length > 0 ? { exclude_item_ids: [...query.exclude] } : {}),
    },
    config,
  );
  return response.items.map((item) => item.item_id);
}

/**
 * Reads a what-if from parsed JSON: a PlacementUpsert event, or the same without `event_type`. It is checked
 * like the event it would be (schema) and compiled like the engine would (filters), so a mistake is reported
 * before any replay, with the JSON pointer to fix.
 */
export function parseWhatIf(source: string, label: string, value: unknown): WhatIfPlacement {
  if (value === null || typeof value !== "object" || Array.isArray(value))
    throw new InvalidWhatIfError(source, "", "expected a JSON object: a PlacementUpsert");
  const record = value as Record<string, unknown>;
  if (record.event_type !== undefined && record.event_type !== "PlacementUpsert")
    throw new InvalidWhatIfError(
      source,
      "/event_type",
      `is "${String(record.event_type)}", not PlacementUpsert`,
    );
  const validation = validateEvent({ ...record, event_type: "PlacementUpsert" });
  if (!validation.ok) {
    const error = validation.errors[0];
    throw new InvalidWhatIfError(source, error?.pointer ?? "", error?.message ?? "is not a PlacementUpsert");
  }
  const {
    event_type: _type,
    event_id: _id,
    event_time: _time,
    ...config
  } = validation.event as PlacementUpsert;
  try {
    createEngine({ defaultPlacements: false }).check(validation.event);
  } catch (error) {
    if (error instanceof SibylEngineError) throw new InvalidWhatIfError(source, "", error.message);
    throw error;
  }
  return { label, config };
}
