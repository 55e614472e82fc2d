# Sourced by the scripts in bin/ and .ci/: exports JAVA_HOME pointing at a JDK >= 21.
# Order: $JAVA_HOME if new enough, `java` on PATH if new enough, then the newest JDK under /usr/lib/jvm
# (these machines ship Temurin 25 beside a default Java 17).

# The JDK's release file answers without starting a JVM (which would add ~0.1 s to every launch).
java_major() {
  local release
  release="$(dirname "$(dirname "$1")")/release"
  if [ -f "$release" ]; then
    sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release"
  else
    "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | cut -d. -f1
  fi
}

select_java_home() {
  local candidate major
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    major=$(java_major "$JAVA_HOME/bin/java")
    if [ "${major:-0}" -ge 21 ]; then return 0; fi
  fi
  if command -v java >/dev/null 2>&1; then
    candidate=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
    major=$(java_major "$candidate/bin/java")
    if [ "${major:-0}" -ge 21 ]; then export JAVA_HOME="$candidate"; return 0; fi
  fi
  local best="" best_major=0
  for candidate in /usr/lib/jvm/* /opt/java/* /usr/local/lib/jvm/*; do
    [ -x "$candidate/bin/javac" ] || continue
    major=$(java_major "$candidate/bin/java")
    if [ "${major:-0}" -gt "$best_major" ]; then best="$candidate"; best_major="$major"; fi
  done
  if [ "$best_major" -ge 21 ]; then export JAVA_HOME="$best"; return 0; fi
  echo "claude-code-ollama-proxy needs a JDK 21 or newer; none found (set JAVA_HOME)." >&2
  return 1
}

select_java_home || exit 1
export PATH="$JAVA_HOME/bin:$PATH"
