#!/usr/bin/env bash
# Runs Kiln's benchmark and shared/bench/pytorch_bench.py side by side, one after the other on
# an otherwise idle machine, and prints a table of ratios.
#   scripts/bench.sh                 # mlp train at 1 and 2 threads, mlp batch-1 inference
#   scripts/bench.sh mlp:train:1 mlp:infer:1:1
#   scripts/bench.sh charlstm:train:1 charlstm:train:2 rnn:train:1 rnn:train:2   # tokens/s
# Needs PyTorch for the baseline: apt-get install -y python3-torch python3-numpy libopenblas0-openmp
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
pybench="${PYBENCH:-../shared/bench/pytorch_bench.py}"
[ -f "$pybench" ] || { echo "error: $pybench not found (set PYBENCH)" >&2; exit 2; }
jar=bench/target/kiln-bench-0.1.0-SNAPSHOT.jar
if [ ! -f "$jar" ] || [ -n "$(find dsl processor runtime samples bench -newer "$jar" -name '*.java' -print -quit)" ]; then
  mvn -B -q -ntp install -DskipTests >&2
fi
cp="$jar:samples/target/kiln-samples-0.1.0-SNAPSHOT.jar:runtime/target/kiln-runtime-0.1.0-SNAPSHOT.jar:dsl/target/kiln-dsl-0.1.0-SNAPSHOT.jar"
[ $# -gt 0 ] || set -- mlp:train:1 mlp:train:2 mlp:infer:1:1
printf '%-26s %14s %14s %8s\n' workload kiln pytorch ratio
for w in "$@"; do
  IFS=: read -r model mode threads batch <<<"$w"
  extra=(); [ -n "${batch:-}" ] && extra=(--batch "$batch")
  bench=kiln.bench.TrainBench; case "$model" in charlstm|rnn) bench=kiln.bench.SequenceBench ;; esac  # tokens/s
  ours=$(java --add-modules jdk.incubator.vector -cp "$cp" "$bench" --model "$model" --mode "$mode" --threads "$threads" "${extra[@]}" 2>/dev/null)
  theirs=$(/usr/bin/python3 "$pybench" --model "$model" --mode "$mode" --threads "$threads" "${extra[@]}" 2>/dev/null)
  python3 - "$w" "$ours" "$theirs" <<'PY'
import json, sys
w, a, b = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3])
key = "tokens_per_s" if "tokens_per_s" in a else "samples_per_s"
flag = " (contended)" if b.get("contended") else ""
if a["mode"] == "infer" and a["batch"] == 1:
    print(f"{w:<26} {a['step_ms_median']:>11.4f} ms {b['step_ms_median']:>11.4f} ms {b['step_ms_median']/a['step_ms_median']:>7.2f}x{flag}")
else:
    print(f"{w:<26} {a[key]:>12,.0f}/s {b[key]:>12,.0f}/s {a[key]/b[key]:>7.2f}x{flag}")
PY
done
