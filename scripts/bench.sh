#!/usr/bin/env bash
# Performance benchmarks: builds ionics-bench in release and runs it.
# Usage: scripts/bench.sh [--cells 400,1600] [--repeat 5]
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product ionics-bench
OPENBLAS_NUM_THREADS=1 .build/release/ionics-bench "$@"
