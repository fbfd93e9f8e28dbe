#!/usr/bin/env bash
# Runs Kiln's benchmark and shared/bench/pytorch_bench.py side by side, one after the other on
# an otherwise idle machine, and prints a table of ratios.
#   scripts/bench.sh                 # every workload: training at 1 and 2 threads, inference at batch 1 and 64
#   scripts/bench.sh mlp:train:1 mlp:infer:1:1
#   scripts/bench.sh charlstm:train:1 charlstm:train:2 rnn:train:1 rnn:train:2   # tokens/s
#   ROUNDS=3 scripts/bench.sh ...    # alternate the sides 3 times, report medians and the paired range
#   scripts/bench.sh lenet:scaling   # Kiln at 2 threads against Kiln at 1 thread (training), in one process whose
#                                    # 1- and 2-thread windows alternate, so both see the same stretch of a drifting VM
# Needs PyTorch for the baseline: apt-get install -y python3-torch python3-numpy libopenblas0-openmp
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
pybench="${PYBENCH:-../shared/bench/pytorch_bench.py}"
[ -f "$pybench" ] || { echo "error: $pybench not found (set PYBENCH)" >&2; exit 2; }
jar=bench/target/kiln-bench-0.1.0-SNAPSHOT.jar
if [ ! -f "$jar" ] || [ -n "$(find dsl processor runtime samples bench -newer "$jar" -name '*.java' -print -quit)" ]; then
  mvn -B -q -ntp install -DskipTests >&2
  touch "$jar" # Maven leaves an unchanged jar as it was: mark it current so the next run does not rebuild
fi
cp="$jar:samples/target/kiln-samples-0.1.0-SNAPSHOT.jar:runtime/target/kiln-runtime-0.1.0-SNAPSHOT.jar:dsl/target/kiln-dsl-0.1.0-SNAPSHOT.jar"
# Default: every workload of the contract (about 4 minutes per round).
[ $# -gt 0 ] || set -- mlp:train:1 mlp:train:2 lenet:train:1 lenet:train:2 lenet_fmnist:train:1 lenet_fmnist:train:2 \
  charlstm:train:1 charlstm:train:2 rnn:train:1 rnn:train:2 \
  mlp:infer:1:1 mlp:infer:2:1 lenet:infer:1:1 lenet_fmnist:infer:1:1 mlp:infer:1:64 lenet:infer:1:64 lenet_fmnist:infer:1:64 \
  lenet:scaling
rounds="${ROUNDS:-1}"  # ROUNDS=3: alternate the two sides three times; report medians and the range of paired ratios (a shared VM's speed drifts)
printf '%-26s %14s %14s %8s%s\n' workload kiln pytorch ratio "$([ "$rounds" -gt 1 ] && echo '  [range of paired rounds]')"
# Kiln's side: kiln MODE THREADS, for the current workload's model, bench class and batch
kiln() { java --add-modules jdk.incubator.vector -cp "$cp" "$bench" --model "$model" --mode "$1" --threads "$2" "${extra[@]}" 2>/dev/null; }
for w in "$@"; do
  IFS=: read -r model mode threads batch <<<"$w"
  extra=(); [ -n "${batch:-}" ] && extra=(--batch "$batch")
  bench=kiln.bench.TrainBench; case "$model" in charlstm|rnn) bench=kiln.bench.SequenceBench ;; esac  # tokens/s
  ours="" theirs=""
  for ((r = 0; r < rounds; r++)); do
    if [ "$mode" = scaling ]; then # the "PyTorch" column holds Kiln at 1 thread: one process, windows alternating
      pair=$(kiln scaling 2)
      theirs+=$(head -n 1 <<<"$pair")$'\n'
      ours+=$(tail -n 1 <<<"$pair")$'\n'
    else
      ours+=$(kiln "$mode" "$threads")$'\n'
      theirs+=$(/usr/bin/python3 "$pybench" --model "$model" --mode "$mode" --threads "$threads" "${extra[@]}" 2>/dev/null)$'\n'
    fi
  done
  python3 - "$w" "$ours" "$theirs" <<'PY'
import json, statistics, sys
w = sys.argv[1]
runs = [[json.loads(line) for line in arg.splitlines() if line.strip()] for arg in sys.argv[2:4]]
a, b = runs
key = "tokens_per_s" if "tokens_per_s" in a[0] else "samples_per_s"
flag = " (contended)" if any(r.get("contended") for r in b) else ""
latency = a[0]["mode"] == "infer" and a[0]["batch"] == 1
value = (lambda r: r["step_ms_median"]) if latency else (lambda r: r[key])
x, y = (statistics.median(value(r) for r in side) for side in runs)
ratio = lambda ours, theirs: theirs / ours if latency else ours / theirs
# with several rounds, the spread of the ratios of each round's adjacent pair shows the drift
paired = sorted(ratio(value(p), value(q)) for p, q in zip(a, b))
spread = f"  [{paired[0]:.2f}-{paired[-1]:.2f}]" if len(paired) > 1 else ""
if w.endswith(":scaling"):
    print(f"{w:<26} {x:>12,.0f}/s {y:>12,.0f}/s {ratio(x, y):>7.2f}x{spread}  (Kiln 2 threads / Kiln 1 thread)")
elif latency:
    print(f"{w:<26} {x:>11.4f} ms {y:>11.4f} ms {ratio(x, y):>7.2f}x{spread}{flag}")
else:
    print(f"{w:<26} {x:>12,.0f}/s {y:>12,.0f}/s {ratio(x, y):>7.2f}x{spread}{flag}")
PY
done
