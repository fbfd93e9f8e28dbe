#!/usr/bin/env bash
# JMH microbenchmarks of the kernels on the benchmark models' shapes (bench/src/main/java/kiln/
# bench/kernels): GEMM, LeNet convolutions, the recurrent step; threads 1 and 2, in JMH's sample
# mode (a sample of the calls is timed). Prints JMH's table, then GFLOP/s per shape over the mean,
# the median and the fastest sampled call, with "% SGEMM" columns: GFLOP/s as a share of PyTorch's torch.mm 1024 at
# the same thread count (pytorch_bench.py --model gemm, run first when torch imports), and, for the GEMM shapes,
# torch.mm's median on the same product (scripts/torch_gemm.py) with Kiln's median as a multiple of it.
# Arguments go to JMH: a benchmark regex, -p NAME=V1,V2, -f/-wi/-i/-w/-r, -prof gc, -l.
#   scripts/jmh.sh                                         # everything: about 15 minutes
#   scripts/jmh.sh -f 1 -wi 1 -i 1 -w 1s -r 1s             # everything, a quick look: about 5 minutes
#   scripts/jmh.sh GemmBench -p shape=SQUARE_1024,MLP_FC1_FORWARD -p threads=1
#   scripts/jmh.sh 'ConvBench|RecurrentStepBench' -p threads=2
#   KILN_SGEMM_BASELINE=off scripts/jmh.sh ...             # skip the PyTorch runs; or give "1=95.9,2=184.6"
#                                                          # for torch.mm 1024, which also skips the same-shape run
# Times are only worth comparing on an otherwise idle machine: with 2 cores, a build or another
# benchmark running beside a 2-thread case halves it.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
jar=bench/target/kiln-bench-0.1.0-SNAPSHOT-benchmarks.jar
if [ ! -f "$jar" ] || [ -n "$(find dsl processor runtime samples bench -newer "$jar" \( -name '*.java' -o -name pom.xml \) -not -path '*/target/*' -print -quit)" ]; then
  mvn -B -q -ntp install -DskipTests >&2
  touch "$jar" # Maven leaves an unchanged jar as it was: mark it current so the next run does not rebuild
fi

# What the PyTorch runs need from JMH's arguments: whether GemmBench runs (no benchmark regex, or
# one naming it, and no -e excluding it), and the values of -p shape=... and -p threads=....
listing=false regexes=0 gemm_named=false gemm_excluded=false shapes="" thread_counts="1,2"
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  a=${args[i]}
  case "$a" in
    -h|-l|-lp|-lprof|-lrf) listing=true ;;
    -*) # every other JMH option takes one value
      v=${args[i + 1]:-}
      i=$((i + 1))
      case "$a:$v" in
        -p:shape=*) shapes="${v#shape=}" ;;
        -p:threads=*) thread_counts="${v#threads=}" ;;
        -e:*Gemm*) gemm_excluded=true ;;
      esac ;;
    *)
      regexes=$((regexes + 1))
      if [[ "$a" == *Gemm* ]]; then gemm_named=true; fi ;;
  esac
done
gemm=false
if ! $gemm_excluded && { [ "$regexes" -eq 0 ] || $gemm_named; }; then gemm=true; fi
baseline="${KILN_SGEMM_BASELINE:-auto}"
pybench="${PYBENCH:-../shared/bench/pytorch_bench.py}"
if [ "$baseline" = auto ]; then
  baseline=""
  if ! $listing && [ -f "$pybench" ] && /usr/bin/python3 -c 'import torch' 2>/dev/null; then
    for threads in ${thread_counts//,/ }; do
      echo "PyTorch baseline: torch.mm 1024, $threads thread(s)..." >&2
      gflops=$(/usr/bin/python3 "$pybench" --model gemm --threads "$threads" 2>/dev/null \
        | python3 -c 'import json, sys
r = json.loads(sys.stdin.read())
if r.get("contended"): print("  (contended: other processes were busy during the PyTorch run)", file=sys.stderr)
print(r["gflops"])') || continue
      baseline="${baseline:+$baseline,}$threads=$gflops"
    done
  fi
fi
torch_gemm=""
if [ "${KILN_SGEMM_BASELINE:-auto}" = auto ] && $gemm && ! $listing && /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  echo "PyTorch baseline: torch.mm on the GEMM shapes..." >&2
  times=$(mktemp)
  trap 'rm -f "$times"' EXIT
  # openblas-openmp: the BLAS pytorch_bench.py picks by default, and one that honours the thread count
  java --add-modules jdk.incubator.vector -cp "$jar" kiln.bench.kernels.GemmShape 2>/dev/null \
    | LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp /usr/bin/python3 scripts/torch_gemm.py \
        --threads "$thread_counts" --shapes "$shapes" >"$times" && torch_gemm=$times
fi
if [ "$baseline" = off ]; then baseline=""; fi
# The forks inherit these flags; JMH 1.37 itself uses sun.misc.Unsafe, which JDK 25 warns about.
# Not exec'd, so that the trap removes the torch.mm times when JMH is done.
java --add-modules jdk.incubator.vector --sun-misc-unsafe-memory-access=allow -Dkiln.sgemm.gflops="$baseline" \
  -Dkiln.torch.gemm="$torch_gemm" -jar "$jar" "$@"
