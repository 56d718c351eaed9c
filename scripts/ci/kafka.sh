#!/usr/bin/env bash
# A single-node Apache Kafka broker (KRaft: broker and controller in one process) for Sibyl's Kafka tests and
# benchmarks, built from the official artifacts on Maven Central and run with the machine's Java.
#
#   scripts/ci/kafka.sh start    fetch (once, cached), format and start; prints the bootstrap address on stdout
#   scripts/ci/kafka.sh stop     stop the broker and delete its data
#   scripts/ci/kafka.sh status   print the bootstrap address and exit 0 when the broker runs, else exit 1
#   scripts/ci/kafka.sh restart [--kill]   stop (SIGTERM, or SIGKILL) and start again, keeping its data and port
#   scripts/ci/kafka.sh fetch    only fetch the jars
#
# Typical use: export SIBYL_KAFKA_BROKERS="$(scripts/ci/kafka.sh start)"; …; scripts/ci/kafka.sh stop
#
# Settings (environment): KAFKA_VERSION (4.1.1), SIBYL_KAFKA_CACHE (jars; ~/.cache/sibyl-kafka),
# SIBYL_KAFKA_RUN (data, logs, pid; /tmp/sibyl-kafka), SIBYL_KAFKA_PORT (9092, or a free port when taken),
# SIBYL_KAFKA_HEAP (512m).
set -euo pipefail

KAFKA_VERSION="${KAFKA_VERSION:-4.1.1}"
CACHE="${SIBYL_KAFKA_CACHE:-${HOME:-/root}/.cache/sibyl-kafka}/kafka_2.13-$KAFKA_VERSION"
RUN="${SIBYL_KAFKA_RUN:-/tmp/sibyl-kafka}"
HEAP="${SIBYL_KAFKA_HEAP:-512m}"
JAVA="${JAVA:-java}"
# A small heap, the serial collector and the C1 compiler only: the broker shares two cores with the tests.
JVM=("$JAVA" -Xms128m "-Xmx$HEAP" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.awt.headless=true
  "-Dlog4j2.configurationFile=$RUN/log4j2.yaml" -cp "$CACHE/lib/*")

say() { echo "kafka.sh: $*" >&2; }

fetch() {
  if [ -f "$CACHE/.complete" ]; then return 0; fi
  command -v mvn >/dev/null || { say "Maven (mvn) is needed to fetch Kafka: apt-get install -y maven"; exit 1; }
  mkdir -p "$CACHE"
  # A throwaway project whose only dependency is the broker: Maven resolves its whole runtime closure.
  cat >"$CACHE/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.sibyl</groupId>
  <artifactId>kafka-broker-fetch</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>$KAFKA_VERSION</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-slf4j-impl</artifactId><version>2.24.3</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-core</artifactId><version>2.24.3</version></dependency>
  </dependencies>
</project>
POM
  say "fetching org.apache.kafka:kafka_2.13:$KAFKA_VERSION and its runtime dependencies with Maven …"
  rm -rf "$CACHE/lib"
  mvn -B -q -f "$CACHE/pom.xml" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$CACHE/lib" >&2
  touch "$CACHE/.complete"
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

free_port() {
  local candidate
  for candidate in $(seq 19092 19192); do
    if port_free "$candidate" && port_free $((candidate + 1000)); then echo "$candidate"; return 0; fi
  done
  say "no free port between 19092 and 19192"; exit 1
}

running() { [ -f "$RUN/pid" ] && kill -0 "$(cat "$RUN/pid")" 2>/dev/null; }

start() {
  fetch
  if running; then cat "$RUN/brokers"; return 0; fi
  [ -d "$CACHE/lib" ] || { say "no jars in $CACHE/lib"; exit 1; }
  rm -rf "$RUN"
  mkdir -p "$RUN/data"
  local port="${SIBYL_KAFKA_PORT:-9092}"
  if ! port_free "$port" || ! port_free $((port + 1000)); then port="$(free_port)"; fi
  local controller=$((port + 1000))
  cat >"$RUN/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$RUN/data
num.partitions=1
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
# Acknowledged (acks=all) means in the page cache of every in-sync replica — Kafka relies on replication, not
# fsync — so a killed broker process loses nothing acknowledged; only an OS crash of this single node could.
num.network.threads=2
num.io.threads=2
background.threads=2
log.cleaner.threads=1
PROPS
  cat >"$RUN/log4j2.yaml" <<LOG
Configuration:
  Appenders:
    Console: { name: STDOUT, PatternLayout: { pattern: "[%d] %p %m (%c)%n" } }
  Loggers:
    Root: { level: WARN, AppenderRef: [{ ref: STDOUT }] }
    Logger: [{ name: kafka.server.KafkaRaftServer, level: INFO }, { name: kafka.server.BrokerServer, level: INFO }]
LOG
  say "formatting $RUN/data (KRaft, single node)"
  "${JVM[@]}" kafka.tools.StorageTool format --config "$RUN/server.properties" --cluster-id "$(cluster_id)" \
    --ignore-formatted >"$RUN/format.log" 2>&1 || { cat "$RUN/format.log" >&2; say "formatting failed"; exit 1; }
  echo "127.0.0.1:$port" >"$RUN/brokers"
  launch
}

# Starts the formatted broker of $RUN and waits until it serves; prints the bootstrap address.
launch() {
  say "starting Apache Kafka $KAFKA_VERSION on $(cat "$RUN/brokers") (heap $HEAP)"
  # Emptied here, not by the background redirect, so the wait below never reads the previous run's log.
  : >"$RUN/broker.log"
  nohup "${JVM[@]}" kafka.Kafka "$RUN/server.properties" >>"$RUN/broker.log" 2>&1 &
  echo $! >"$RUN/pid"
  local waited=0
  until grep -q "Kafka Server started" "$RUN/broker.log" 2>/dev/null; do
    if ! running; then tail -n 40 "$RUN/broker.log" >&2; say "the broker exited during start"; exit 1; fi
    if [ "$waited" -ge 240 ]; then tail -n 40 "$RUN/broker.log" >&2; say "the broker did not start in 120 s"; stop_broker TERM; exit 1; fi
    sleep 0.5; waited=$((waited + 1))
  done
  say "ready after $((waited / 2)) s; log in $RUN/broker.log"
  cat "$RUN/brokers"
}

# A KRaft cluster id: 16 random bytes, URL-safe base64 without padding (what `kafka-storage random-uuid` prints).
cluster_id() { head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n'; }

stop_broker() {
  if running; then
    local pid; pid="$(cat "$RUN/pid")"
    kill "-$1" "$pid" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    if kill -0 "$pid" 2>/dev/null; then say "broker $pid ignored SIGTERM for 30 s: SIGKILL"; kill -9 "$pid" || true; fi
    say "stopped broker $pid"
  fi
}

case "${1:-}" in
  fetch) fetch ;;
  start) start ;;
  stop) stop_broker TERM; rm -rf "$RUN" ;;
  restart)
    [ -f "$RUN/brokers" ] || { say "no broker was started from $RUN"; exit 1; }
    if [ "${2:-}" = "--kill" ]; then stop_broker KILL; else stop_broker TERM; fi
    launch ;;
  status)
    if running; then cat "$RUN/brokers"; else say "not running"; exit 1; fi ;;
  *) echo "usage: $0 start|stop|status|fetch" >&2; exit 2 ;;
esac
