import type { EngineStats, ItemInspection, PlacementConfig, VisitorInspection } from "@sibyl/engine";
import type {
  ErrorBody,
  IngestResult,
  PlacementUpsert,
  RecoItem,
  RecoRequest,
  RecoResponse,
  ValidationError,
} from "@sibyl/events";

export type {
  ErrorBody,
  IngestResult,
  ItemInspection,
  PlacementConfig,
  PlacementUpsert,
  RecoItem,
  RecoRequest,
  RecoResponse,
  ValidationError,
  VisitorInspection,
};

/** One entry of GET /v1/schemas' event_types. */
export interface EventTypeInfo {
  event_type: string;
  group: string;
  /** Whether a browser's tracking key may send it. */
  tracking: boolean;
  description: string;
  /** Its schema file: a key of `schemas`. */
  schema: string;
}

export interface SchemasResponse {
  event_types: EventTypeInfo[];
  schemas: Record<string, Record<string, unknown>>;
}

export interface LatencyQuantiles {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export interface RecommendActivity {
  requests_per_second: number;
  latency_ms: LatencyQuantiles | null;
}

/** The server's last minute (GET /v1/stats `live`). */
export interface LiveStats {
  uptime_seconds: number;
  window_seconds: number;
  events_per_second: Record<string, number>;
  rejected_per_second: number;
  recommend: RecommendActivity & { by_placement: Record<string, RecommendActivity> };
}

export type StatsResponse = EngineStats & { live: LiveStats };

/** POST /v1/placements/preview's body. */
export interface PreviewBody {
  /** A draft configuration; the live placement answers when absent. */
  placement?: Omit<PlacementUpsert, "event_type"> & { event_type?: "PlacementUpsert" };
  request: Omit<RecoRequest, "event_type" | "placement"> & { placement?: string };
}

/** What POST /v1/events answered: the per-line report and its status (200, 207, 400 or 403). */
export interface IngestAnswer {
  status: number;
  result: IngestResult;
}
