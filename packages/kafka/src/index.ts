export { KafkaAppendError, KafkaOffsetGoneError, KafkaTopicError } from "./kafka-errors.js";
export { KafkaLog } from "./kafka-log.js";
export { type KafkaLogOptions, kafkaLogName } from "./kafka-options.js";
export {
  type CreateTopicOptions,
  type CreateTopicResult,
  createEventLogTopic,
  deleteTopic,
  EVENT_LOG_TOPIC_CONFIGS,
} from "./topic-admin.js";
export { type RewriteReport, type RewriteTopicOptions, rewriteTopicForErasure } from "./rewrite-topic.js";
