export type { AttributionCounts, PlacementAttribution } from "./attribution/attribution.js";
export {
  type ApplyOutcome,
  type BatchResult,
  createEngine,
  type Engine,
  type RecommendInput,
} from "./engine.js";
export {
  InvalidFilterError,
  InvalidRequestError,
  SibylEngineError,
  UnknownPlacementError,
} from "./errors/engine-errors.js";
export type { HistoryEntry, ItemInspection, NeighbourView, VisitorInspection } from "./inspect/inspect.js";
export { DEFAULT_OPTIONS, type EngineOptions, type Normalisation, type ResolvedOptions } from "./options.js";
export { DEFAULT_PLACEMENTS, type PlacementConfig } from "./placements/default-placements.js";
export type { EngineStats } from "./stats/stats.js";
export {
  type AppendResult,
  type DurableEngine,
  type FileEngine,
  openEngine,
  ReadOnlyEngineError,
  type RecoveryInfo,
  type ReplicaEngine,
  SharedLogError,
  type SnapshotInfo,
} from "./durable/open-engine.js";
export type { ReplicationStatus, SharedLogRecovery } from "./durable/durable-engine.js";
export type { OpenEngineOptions, OpenReplicaOptions } from "./durable/durable-options.js";
export type { SharedLog, SharedLogBatch, SharedLogEntry, SharedLogRecord } from "./durable/shared-log.js";
export { MemorySharedLog } from "./durable/memory-shared-log.js";
export {
  anonymiseForErasure,
  type ErasedKey,
  ErasureCollector,
  type ErasureTreatment,
  erasureTreatment,
} from "./durable/erasure.js";
export type { SnapshotMeta } from "./durable/snapshot-meta.js";
export {
  comparePositions,
  type Durability,
  EventLog,
  formatPosition,
  LogCorruptionError,
  type LogFileSystem,
  type LogPosition,
  type LogRecord,
  LogWriteError,
  nodeFileSystem,
  parsePosition,
  type RecoveryReport,
} from "./log/index.js";
export { loadSnapshot, saveSnapshot, type StandaloneSnapshotMeta } from "./snapshot/engine-snapshot.js";
export { SnapshotCorruptError } from "./snapshot/snapshot-file.js";
export {
  exportSnapshot,
  importSnapshot,
  SnapshotTransferError,
  type VerifiedSnapshot,
  verifySnapshot,
} from "./snapshot/snapshot-transfer.js";
