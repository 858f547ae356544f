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
exec java ${TEMPORAL_TEST_SERVER_JAVA_OPTS:--Xms64m -Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1} \
  -cp "$here/lib/*" io.temporal.testserver.TestServer "$@"
LAUNCHER
chmod +x "$launcher"
echo "$want" > "$stamp"
log "resolved $(ls "$dir/lib" | wc -l) jars in $(( $(date +%s) - started ))s"
echo "$launcher"
