# Sourced by .ci/run (set -euo pipefail is on). The Neo4j tests start a real
# Neo4j 5.26 from Maven Central artifacts (tools/neo4j-harness): make sure a
# JDK 17+ and Maven are here, then build the harness now, so that `go test`
# does not spend its timeout downloading Neo4j.

neo4j_ci_apt_install() {
  # apt-get update only when the package lists do not know the package.
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
  fi
}

neo4j_ci_java_spec() { # prints e.g. 17, or nothing without a JDK
  command -v javac >/dev/null 2>&1 || return 0
  java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p'
}

neo4j_ci_spec=$(neo4j_ci_java_spec)
if [ -z "$neo4j_ci_spec" ] || [ "${neo4j_ci_spec%%.*}" -lt 17 ]; then
  echo "installing openjdk-17-jdk-headless (found: ${neo4j_ci_spec:-no JDK})"
  neo4j_ci_apt_install openjdk-17-jdk-headless
  # Prefer it even where an older JDK is the default.
  JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$(ls /usr/lib/jvm/java-17-openjdk-*/bin/java | head -n 1)")")")
  export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"
fi
if ! command -v mvn >/dev/null 2>&1; then
  echo "installing maven"
  neo4j_ci_apt_install maven
fi
java -version 2>&1 | head -n 1
mvn -v 2>/dev/null | sed 's/\x1b\[[0-9;]*m//g' | head -n 1

# One retry (-U: Maven caches failed downloads), for a flaky download; Maven
# output only when it fails.
neo4j_ci_log=$(mktemp)
neo4j_ci_start=$SECONDS
if ! mvn -q -B -f tools/neo4j-harness/pom.xml clean package >"$neo4j_ci_log" 2>&1 &&
  ! mvn -q -B -U -f tools/neo4j-harness/pom.xml clean package >"$neo4j_ci_log" 2>&1; then
  sed 's/\x1b\[[0-9;]*m//g' "$neo4j_ci_log" | tail -n 60 >&2
  rm -f "$neo4j_ci_log"
  echo "building tools/neo4j-harness with Maven failed" >&2
  return 1
fi
rm -f "$neo4j_ci_log"
echo "tools/neo4j-harness built in $((SECONDS - neo4j_ci_start))s ($(ls tools/neo4j-harness/target/dependency | wc -l) jars)"
unset -f neo4j_ci_apt_install neo4j_ci_java_spec
unset neo4j_ci_spec neo4j_ci_log neo4j_ci_start
