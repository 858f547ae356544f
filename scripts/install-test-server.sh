#!/usr/bin/env bash
# Resolves Temporal's Java time-skipping test server (io.temporal:temporal-test-server) and its runtime
# classpath with Maven into .tools/test-server/, writes a launcher that `exec`s java, and prints the
# launcher's path on stdout. The launcher is what @temporalio/testing starts as an `existing-path` executable:
# the SDK stops it with SIGKILL, so java must replace the shell or the JVM would be orphaned.
# It also compiles scripts/test-server/TimeSkippingPool.java: `temporal-test-server --pool` runs one JVM that
# hosts many test servers, and with TEMPORAL_TEST_SERVER_POOL=<its control port> the launcher asks it for a
# server instead of starting a JVM (the suite starts a server per test; see test/setup/time-skipping-pool.ts).
# $TEMPORAL_TEST_SERVER_PATH, when set, is used as is.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
pom="$root/scripts/test-server/pom.xml"
pool_source="$root/scripts/test-server/TimeSkippingPool.java"
dir="$root/.tools/test-server"
launcher="$dir/temporal-test-server"
stamp="$dir/pom.sha256"

log() { printf 'install-test-server: %s\n' "$*" >&2; }

if [[ -n "${TEMPORAL_TEST_SERVER_PATH:-}" ]]; then
  if [[ -x "$TEMPORAL_TEST_SERVER_PATH" ]]; then echo "$TEMPORAL_TEST_SERVER_PATH"; exit 0; fi
  log "TEMPORAL_TEST_SERVER_PATH=$TEMPORAL_TEST_SERVER_PATH is not an executable file"
  exit 1
fi

want="$(cat "$pom" "$pool_source" "${BASH_SOURCE[0]}" | sha256sum | cut -d' ' -f1)"
if [[ -x "$launcher" && "$(cat "$stamp" 2>/dev/null)" == "$want" ]]; then echo "$launcher"; exit 0; fi

for tool in java mvn; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    log "$tool is not installed; the time-skipping test server needs a JDK (11 or later) and Maven."
    log "Install them (Debian: apt-get install default-jdk-headless maven) or set TEMPORAL_TEST_SERVER_PATH."
    exit 1
  fi
done

log "resolving io.temporal:temporal-test-server with Maven (once) ..."
started=$(date +%s)
rm -rf "$dir/lib"
mkdir -p "$dir/lib"
mvn -B -q -f "$pom" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$dir/lib" >&2
cat > "$launcher" <<'LAUNCHER'
#!/usr/bin/env bash
# Usage: temporal-test-server <port> [--enable-time-skipping]   one test server, as the SDK starts it
#        temporal-test-server --pool                             a JVM hosting many; prints its control port
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [[ "${1:-}" == --pool ]]; then
  if [[ ! -f "$here/pool/TimeSkippingPool.class" ]]; then echo "no pool: javac was missing at install" >&2; exit 1; fi
  exec java ${TEMPORAL_TEST_SERVER_POOL_JAVA_OPTS:--Xms256m -Xmx1g -XX:+UseSerialGC} \
    -cp "$here/pool:$here/lib/*" TimeSkippingPool 0
fi
if [[ -n "${TEMPORAL_TEST_SERVER_POOL:-}" ]]; then
  # A server in the pool's JVM, stopped when this process ends (the SDK kills it): the connection closes.
  exec 3<>"/dev/tcp/127.0.0.1/${TEMPORAL_TEST_SERVER_POOL}"
  echo "$*" >&3
  IFS= read -r answer <&3
  if [[ "$answer" != ready ]]; then echo "time-skipping pool: ${answer:-no answer}" >&2; exit 1; fi
  while IFS= read -r _ <&3; do :; done
  exit 0
fi
# The class-data archive made at install time halves the JVM's start (the SDK allows the server only 5 s).
cds=()
if [[ -f "$here/classes.jsa" ]]; then cds=(-XX:SharedArchiveFile="$here/classes.jsa" -Xshare:auto); fi
exec java "${cds[@]}" ${TEMPORAL_TEST_SERVER_JAVA_OPTS:--Xms64m -Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1} \
  -cp "$here/lib/*" io.temporal.testserver.TestServer "$@"
LAUNCHER
chmod +x "$launcher"

rm -rf "$dir/pool"
if command -v javac >/dev/null 2>&1; then
  javac -nowarn -cp "$dir/lib/*" -d "$dir/pool" "$pool_source" >&2
else
  log "javac is not installed: each test server will start a JVM of its own (slower; install a JDK for the pool)"
fi

# A class-data-sharing archive of one start-up: later starts map the classes instead of loading them.
log "recording the JVM class-data archive (a few seconds, once) ..."
rm -f "$dir/classes.jsa"
port=$(( 20000 + RANDOM % 20000 ))
java -XX:ArchiveClassesAtExit="$dir/classes.jsa" -Xms64m -Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
  -cp "$dir/lib/*" io.temporal.testserver.TestServer "$port" >/dev/null 2>&1 &
pid=$!
for _ in $(seq 1 300); do
  if (echo > "/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
  sleep 0.1
done
kill -TERM "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
if [[ ! -f "$dir/classes.jsa" ]]; then log "no class-data archive was written; the server will start without it"; fi
echo "$want" > "$stamp"
log "resolved $(ls "$dir/lib" | wc -l) jars in $(( $(date +%s) - started ))s"
echo "$launcher"
