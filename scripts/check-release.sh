#!/usr/bin/env bash
# Checks a repository that `mvn deploy` wrote (scripts/test.sh deploys to target/staging-deploy):
# every published artifact is there with what Maven Central asks of it (a pom with licence, SCM,
# developers, url and description; sources and Javadoc jars beside each library jar), and the
# modules that are not published (samples, bench, it) are not. One line per problem; exit 1 on any.
#   scripts/check-release.sh target/staging-deploy
set -euo pipefail
cd "$(dirname "$0")/.."
repo="${1:-target/staging-deploy}/dev/kiln"
problems=0
problem() { echo "release check: $*" >&2; problems=$((problems + 1)); }
newest() { ls -1 "$1"/$2 2>/dev/null | grep -v -e '\.md5$' -e '\.sha1$' | sort | tail -n 1 || true; }  # a snapshot's last deployment

[ -d "$repo" ] || { echo "release check: no deployed artifacts under $repo (run scripts/test.sh)" >&2; exit 1; }
for a in kiln-bom kiln-parent kiln-starter-parent kiln-dsl kiln-processor kiln-runtime kiln-archetype; do
  dir=$(ls -d "$repo/$a"/*/ 2>/dev/null | head -n 1 || true)
  if [ -z "$dir" ]; then problem "$a was not deployed"; continue; fi
  pom=$(newest "$dir" "$a-*.pom")
  if [ -z "$pom" ]; then problem "$a: no pom"; continue; fi
  grep -q '<name>' "$pom" || problem "$a: the pom has no <name>"
  case $a in
    kiln-bom) # the root of the poms: what the others inherit
      for element in '<description>' '<url>' '<licenses>' 'Apache-2.0' '<developers>' '<scm' '<connection>'; do
        grep -q "$element" "$pom" || problem "$a: the pom has no $element"
      done ;;
    *) grep -q '<description>' "$pom" || problem "$a: the pom has no <description> of its own"
       grep -q '<artifactId>kiln-bom</artifactId>\|<artifactId>kiln-parent</artifactId>' "$pom" \
         || problem "$a: the pom inherits neither kiln-bom nor kiln-parent, so lacks the licence and SCM" ;;
  esac
  case $a in
    kiln-dsl|kiln-processor|kiln-runtime)
      for kind in "" -sources -javadoc; do
        jar=$(newest "$dir" "$a-*[0-9]$kind.jar")
        if [ -z "$jar" ]; then problem "$a: no ${kind#-}${kind:+ }jar"; continue; fi
        jar tf "$jar" >/dev/null 2>&1 || problem "$a: $jar is not a jar"
        if [ "$kind" = -javadoc ] && ! jar tf "$jar" | grep -q '^index.html$'; then problem "$a: the Javadoc jar has no index.html"; fi
      done ;;
    kiln-archetype)
      jar=$(newest "$dir" "$a-*[0-9].jar")
      if [ -z "$jar" ] || ! jar tf "$jar" | grep -q 'META-INF/maven/archetype-metadata.xml'; then problem "$a: no archetype jar"; fi
      for kind in -sources -javadoc; do
        [ -n "$(newest "$dir" "$a-*[0-9]$kind.jar")" ] || problem "$a: no ${kind#-} jar"
      done ;;
  esac
done
for a in kiln-samples kiln-bench kiln-it; do
  [ ! -e "$repo/$a" ] || problem "$a is not published, but was deployed"
done
[ "$problems" -eq 0 ] || exit 1
echo "release check: $(find "$repo" -name '*.jar' -o -name '*.pom' | wc -l) files of 7 artifacts in ${1:-target/staging-deploy}, as Maven Central wants them"
