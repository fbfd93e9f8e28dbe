#!/usr/bin/env bash
# Builds Kiln and trains a sample's generated main. Offline by default: without --data the
# MNIST samples train on the MNIST subset bundled in kiln-runtime.
#   scripts/train.sh                          # MnistMlp, bundled data
#   scripts/train.sh MnistMlp --data DIR --epochs 5
#   scripts/train.sh ResidualMlp --help
#   scripts/train.sh WineClassifier --save wine.safetensors   # a table: UCI wine, bundled
#   scripts/train.sh CharLstm --data package/gutenberg --save lstm.safetensors   # Shakespeare, then writes text
#   scripts/train.sh CharLstm --sample lstm.safetensors --prompt "ROMEO:" --temperature 0.8 --length 500
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
model="${1:-MnistMlp}"
[ $# -gt 0 ] && shift
case "$model" in
  MnistMlp|ResidualMlp) main="kiln.samples.mnist.${model}Main" ;;
  MnistThreeVsEight) main="kiln.samples.binary.${model}Main" ;;
  WineClassifier) main="kiln.samples.tabular.${model}Main" ;;
  CubicRegression|SineRegression) main="kiln.samples.features.${model}Main" ;;
  LeNetMnist|LeNetFashion|LeNetCifar|ResNetFashion) main="kiln.samples.conv.${model}Main" ;;
  FluentMnistMlp|FluentResidualMlp|FluentLeNetMnist) main="kiln.samples.fluent.${model#Fluent}Main" ;;  # the fluent DSL's twins
  CharLstm|CharGru) main="kiln.samples.text.${model}Main" ;;  # character models: bundled Macbeth, or --data a folder of plays
  *) echo "error: unknown sample '$model'; choose MnistMlp, ResidualMlp, MnistThreeVsEight, WineClassifier, CubicRegression, SineRegression, LeNetMnist, LeNetFashion, LeNetCifar, ResNetFashion, FluentMnistMlp, FluentResidualMlp, FluentLeNetMnist, CharLstm, CharGru" >&2; exit 2 ;;
esac
jar=samples/target/kiln-samples-0.1.0-SNAPSHOT.jar
if [ ! -f "$jar" ] || [ -n "$(find dsl processor runtime samples -newer "$jar" -name '*.java' -print -quit)" ]; then
  mvn -B -q -ntp install -DskipTests >&2
  touch "$jar" # Maven leaves an unchanged jar as it was: mark it current so the next run does not rebuild
fi
cp="$jar:runtime/target/kiln-runtime-0.1.0-SNAPSHOT.jar:dsl/target/kiln-dsl-0.1.0-SNAPSHOT.jar"
# JFreeChart draws the learning curves (--save FILE gives FILE.curves.png); without it training only notes their absence.
jfreechart="${MAVEN_REPO:-$HOME/.m2/repository}/org/jfree/jfreechart/1.5.6/jfreechart-1.5.6.jar"
[ -f "$jfreechart" ] && cp="$cp:$jfreechart"
exec java --add-modules jdk.incubator.vector -cp "$cp" "$main" "$@"
