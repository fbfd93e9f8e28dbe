# Sourced by the scripts: selects JDK 25 (the default java here may be 17) and checks Maven.
# Fails fast, with one clear line, when either is missing.
kiln_jdk=/usr/lib/jvm/temurin-25-jdk-amd64
java_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }
if [ -n "${JAVA_HOME:-}" ] && [ "$(java_major "$JAVA_HOME" 2>/dev/null || echo 0)" -ge 25 ] 2>/dev/null; then
  :
elif [ -x "$kiln_jdk/bin/java" ]; then
  export JAVA_HOME="$kiln_jdk"
else
  echo "error: Kiln needs JDK 25 or newer; install Temurin 25 (e.g. apt-get install temurin-25-jdk) or set JAVA_HOME to a JDK 25" >&2
  exit 1
fi
export PATH="$JAVA_HOME/bin:$PATH"
if ! command -v mvn >/dev/null 2>&1; then
  echo "Maven not found; installing it with apt-get" >&2
  (apt-get update -qq && apt-get install -y -qq maven >/dev/null) || { echo "error: could not install Maven; install it and retry" >&2; exit 1; }
fi
# Maven's bundled Guava uses sun.misc.Unsafe; JDK 25 warns about it on every build.
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
