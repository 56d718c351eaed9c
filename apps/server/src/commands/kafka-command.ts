import { createEventLogTopic, rewriteTopicForErasure } from "@sibyl/kafka";
import { Command, Option } from "commander";
import { printJson, UsageError } from "./data-dir.js";

const brokersOption = () =>
  new Option("--kafka-brokers <list>", "bootstrap brokers, host:port, comma-separated")
    .env("SIBYL_KAFKA_BROKERS")
    .makeOptionMandatory();

const brokersOf = (list: string) => {
  const brokers = list.split(",").filter(Boolean);
  if (brokers.length === 0) throw new UsageError("--kafka-brokers names no broker");
  return brokers;
};

const whole = (name: string) => (value: string) => {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1)
    throw new UsageError(`${name} must be a positive integer, got ${value}`);
  return number;
};

/** `sibyl kafka create-topic | rewrite`: the Kafka topic of replicas that share one log. */
export function kafkaCommand(): Command {
  const kafka = new Command("kafka").description("the Kafka topic that replicas share as their event log");

  kafka
    .command("create-topic")
    .description("create the event log's topic, keeping every record (retention.ms=-1) unless told otherwise")
    .addOption(brokersOption())
    .addOption(
      new Option("--kafka-topic <topic>", "the topic").env("SIBYL_KAFKA_TOPIC").default("sibyl-events"),
    )
    .addOption(
      new Option("--partitions <n>", "one per independent engine (shard)")
        .default(1)
        .argParser(whole("--partitions")),
    )
    .addOption(
      new Option("--replication-factor <n>", "copies on different brokers (3 in production)")
        .default(1)
        .argParser(whole("--replication-factor")),
    )
    .addOption(
      new Option(
        "--config <name=value>",
        "a topic setting, repeatable (e.g. retention.ms=604800000)",
      ).argParser((value: string, previous: string[] = []) => [...previous, value]),
    )
    .action(
      async (options: {
        kafkaBrokers: string;
        kafkaTopic: string;
        partitions: number;
        replicationFactor: number;
        config?: string[];
      }) => {
        const configs: Record<string, string> = {};
        for (const entry of options.config ?? []) {
          const at = entry.indexOf("=");
          if (at < 1) throw new UsageError(`--config ${entry}: expected name=value`);
          configs[entry.slice(0, at)] = entry.slice(at + 1);
        }
        const result = await createEventLogTopic({
          brokers: brokersOf(options.kafkaBrokers),
          topic: options.kafkaTopic,
          partitions: options.partitions,
          replicationFactor: options.replicationFactor,
          configs,
        });
        printJson({ topic: options.kafkaTopic, result });
      },
    );

  kafka
    .command("rewrite")
    .description(
      "copy a partition into an empty one with everyone forgotten by a UserForget removed, offsets kept " +
        "(stop writing to the source first; see the README's erasure procedure)",
    )
    .addOption(brokersOption())
    .addOption(new Option("--from <topic>", "the topic to rewrite").makeOptionMandatory())
    .addOption(
      new Option("--to <topic>", "an empty topic (create it with create-topic)").makeOptionMandatory(),
    )
    .addOption(new Option("--partition <n>", "the partition, in both topics").default(0).argParser(Number))
    .action(async (options: { kafkaBrokers: string; from: string; to: string; partition: number }) => {
      let reported = 0;
      const report = await rewriteTopicForErasure({
        brokers: brokersOf(options.kafkaBrokers),
        from: { topic: options.from, partition: options.partition },
        to: { topic: options.to, partition: options.partition },
        onProgress: (pass, offset, end) => {
          if (offset - reported < 100_000 && offset < end) return;
          reported = offset;
          process.stderr.write(`${pass}: ${offset} / ${end}\n`);
        },
      });
      printJson(report);
    });

  return kafka;
}
