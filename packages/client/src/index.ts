export { type RecommendRequest, SibylClient } from "./client.js";
export {
  ApiError,
  ClientClosedError,
  ConfigError,
  type DeliveryFailure,
  DeliveryError,
  failedEvents,
  NetworkError,
  ProtocolError,
  QueueFullError,
  type RejectedEvent,
  RejectedEventsError,
  RetriesExhaustedError,
  SibylError,
} from "./errors.js";
export type { ClientOptions, FetchInit, FetchLike, FetchResponse, RetryOptions } from "./options.js";
export type { PageEnvironment, PageEventTarget } from "./page-hide/page-environment.js";
export { KEEPALIVE_LIMIT } from "./page-hide/page-hide-sender.js";
// The event types, so a user needs no second import; type-only, so a browser bundle gets no validators.
export type {
  ErrorBody,
  IngestResult,
  RecoItem,
  RecoRequest,
  RecoResponse,
  RejectedLine,
  SibylEvent,
  UserInfo,
  ValidationError,
} from "@sibyl/events";
