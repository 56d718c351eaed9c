/** Public surface of the durable event log. */
export { EventLog, type EventLogOptions, type LogSegmentInfo, type LogStat } from "./event-log.js";
export { LogCorruptionError, LogPositionError, LogStateError, LogWriteError } from "./log-errors.js";
export { type LogFileSystem, type LogOpenMode, nodeFileSystem } from "./log-file-system.js";
export { comparePositions, formatPosition, type LogPosition, parsePosition } from "./log-position.js";
export type { Durability } from "./log-writer.js";
export type { LogRecord } from "./read-records.js";
export { MAX_RECORD_PAYLOAD_BYTES, RecordType } from "./record-format.js";
export type { RecoveryReport } from "./recovery.js";
export type { LogRange } from "./segment-state.js";
