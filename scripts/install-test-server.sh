#!/usr/bin/env bash
# Resolves Temporal's Java time-skipping test server (io.temporal:temporal-test-server) and its runtime
# classpath with Maven into .tools/test-server/, writes a launcher that `exec`s java, and prints the
# launcher's path on stdout. The launcher is what @temporalio/testing starts as an `existing-path` executable:
# the SDK stops it with SIGKILL, so java must replace the shell or the JVM would be orphaned.
# $TEMPORAL_TEST_SERVER_PATH, when set, is used as is.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
pom="$root/scripts/test-server/pom.xml"
dir="$root/.tools/test-server"
launcher="$dir/temporal-test-server"
stamp="$dir/pom.sha256"

log() { printf 'install-test-server: %s\n' "$*" >&2; }

if [[ -n "${TEMPORAL_TEST_SERVER_PATH:-}" ]]; then
  if [[ -x "$TEMPORAL_TEST_SERVER_PATH" ]]; then echo "$TEMPORAL_TEST_SERVER_PATH"; exit 0; fi
  log "TEMPORAL_TEST_SERVER_PATH=$TEMPORAL_TEST_SERVER_PATH is not an executable file"
  exit 1
fi

want="$(sha256sum "$pom" | cut -d' ' -f1)"
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
# Usage: temporal-test-server <port>
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# The class-data archive made at install time halves the JVM's start (the SDK allows the server only 5 s).
cds=()
if [[ -f "$here/classes.jsa" ]]; then cds=(-XX:SharedArchiveFile="$here/classes.jsa" -Xshare:auto); fi
exec java "${cds[@]}" ${TEMPORAL_TEST_SERVER_JAVA_OPTS:--Xms64m -Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1} \
  -cp "$here/lib/*" io.temporal.testserver.TestServer "$@"
LAUNCHER
chmod +x "$launcher"

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
