#!/usr/bin/python3
"""torch.mm on the GEMM shapes of the benchmark models, timed like JMH's sample mode.

Reads the shapes, one per line "NAME PRODUCT M N K" (PRODUCT nt, nn or tn: C[m,n] = A B^T,
A B or A^T B, as kiln.bench.kernels.GemmShape prints them), and prints one line per shape and
thread count: "NAME THREADS MEDIAN_US". Each call is timed on its own for a second, after a
warm-up, so the median compares with the median of JMH's GemmBench in sample mode. scripts/jmh.sh runs it; run it alone as

    java --add-modules jdk.incubator.vector -cp bench/target/kiln-bench-0.1.0-SNAPSHOT-benchmarks.jar \
        kiln.bench.kernels.GemmShape | LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp /usr/bin/python3 scripts/torch_gemm.py

Calls are made from Python, as in a PyTorch training step, so each includes PyTorch's dispatch
(a few microseconds), which matters on the smallest shapes. Transposes are views, made once
before timing: BLAS reads them in place, as it does inside nn.Linear. No bias or activation:
torch.mm is the bare product.
"""
import argparse
import statistics
import sys
import time


def operands(torch, product, m, n, k):
    """The call computing C [m, n] for the product, its inputs laid out as Kiln's are."""
    c = torch.empty(m, n)
    if product == "nt":
        a, bt = torch.randn(m, k), torch.randn(n, k).t()
        return lambda: torch.mm(a, bt, out=c)
    if product == "nn":
        a, b = torch.randn(m, k), torch.randn(k, n)
        return lambda: torch.mm(a, b, out=c)
    if product == "tn":
        at, b = torch.randn(k, m).t(), torch.randn(k, n)
        return lambda: torch.mm(at, b, out=c)
    raise ValueError(f"unknown product {product!r} (nt, nn or tn)")


def sample(call, warmup_s, seconds):
    """Per-call seconds over a timed stretch, after a warm-up."""
    end = time.perf_counter() + warmup_s
    while time.perf_counter() < end:
        call()
    times = []
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        t0 = time.perf_counter()
        call()
        times.append(time.perf_counter() - t0)
    return times


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--threads", default="1,2", help="comma-separated thread counts")
    p.add_argument("--shapes", default="", help="comma-separated shape names to keep (default: all)")
    p.add_argument("--seconds", type=float, default=1.0, help="timed seconds per shape and thread count")
    p.add_argument("--warmup", type=float, default=0.3, help="warm-up seconds")
    args = p.parse_args()
    import torch
    torch.manual_seed(0)
    keep = {s for s in args.shapes.split(",") if s}
    shapes = []
    for line in sys.stdin:
        if not line.strip():
            continue
        name, product, m, n, k = line.split()
        if not keep or name in keep:
            shapes.append((name, product, int(m), int(n), int(k)))
    for threads in (int(t) for t in args.threads.split(",")):
        torch.set_num_threads(threads)
        for name, product, m, n, k in shapes:
            times = sample(operands(torch, product, m, n, k), args.warmup, args.seconds)
            print(f"{name} {threads} {statistics.median(times) * 1e6:.2f}", flush=True)


if __name__ == "__main__":
    main()
