#!/usr/bin/env bash
# Performance benchmarks: the current tree against a baseline commit, in one run.
#
# Timings on a shared machine drift from hour to hour, so a figure is only comparable
# with another measured beside it: this builds the baseline and the current tree, times
# both in the same run and reports medians and the ratio baseline/current. Nothing here
# is a test; no timing is asserted anywhere.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

usage() {
    cat <<'EOF'
Usage: scripts/bench.sh [options]        (make bench BENCH="options")

Builds the baseline (BASE, default 0ef62dd: the parent of the core rebuild) in a git
worktree under .build-base/ and the current tree (with any uncommitted changes), both
in release, times the selected modes on both builds and prints markdown tables of
medians, minima and the ratio baseline/current (> 1: the current tree is faster).

Modes (--only, comma-separated; default: run, table, charging, throughput):
  run          ionics run configs/default.json -o TMP/x.h5 --force  (the default device)
  table        ionics table --jobs J -o TMP/table-…                 (the 16 presets; ~100 s each)
  charging     ionics-bench charging-accuracy: blocking-cell charging (1:1, L = 100 λ_D),
               steps of --volts V_T on --cells graded meshes; max relative error of the
               electrode charge over 50 log-spaced times in [1e-3, 5] λ_D L/D against a
               4×-refined tight-tolerance reference, at the default tolerances, plus a
               tolerance sweep on the finest mesh and the time to reach --target
  throughput   ionics-bench throughput: 10 V_T charging at relative tolerance 1e-4, time
               per Newton iteration per unknown
  2d-newton    ionics-bench 2d-newton: one Newton iteration (assembly, KLU factor, solve) on
               2D meshes of 2·rows × 4·rows cells (--2d-rows; about 1e4 to 1e6 unknowns), the
               exponent of time against unknowns, peak memory             (current tree only)
  2d-assembly  ionics-bench 2d-assembly: f and its Jacobian on --2d-cells cells, scalar
               kernel, vectorised on 1 and on 2 threads                   (current tree only)
  simd-flux    ionics-bench simd-flux: the interior-face kernel on --2d-cells cells, face
               by face (reference), plan with scalar Bernoulli, plan with SIMD lanes
                                                                          (current tree only)
  sweep        ionics sweep of scripts/bench-sweep.json (8 points of the default device, 10
               pulses each) with --jobs 1 and --jobs 2 (--sweep-jobs), a fresh folder each
               repeat; points per minute, medians over --repeat       (current tree only)

Options:
  --only LIST         modes to run (run,table,charging,throughput,2d-newton,2d-assembly,simd-flux,sweep)
  --repeat N          repeats of run, charging, throughput and the 2D modes (default 5)
  --table-repeat N    repeats of table (default 1)
  --base REF          baseline commit (default $BASE or 0ef62dd); "none": current tree only
  --cells LIST        meshes of charging and throughput (default 400,1600)
  --volts LIST        steps of charging, thermal voltages (default 1,10)
  --sweep LIST        relative tolerances of the sweep on the finest mesh (default 1e-5,1e-6,1e-7)
  --target E          accuracy whose cost is interpolated from the sweep (default 3e-5)
  --jobs J            parallel runs of table (default 2)
  --2d-rows LIST      cells through each layer of the 2d-newton meshes (default 25,40,63,100,160,250;
                      the meshes are 2·rows × 4·rows cells)
  --2d-columns LIST   columns of the 2d-newton meshes instead of 4·rows (with one --2d-rows value:
                      lateral growth only)
  --2d-cells N        cells of the 2d-assembly and simd-flux mesh (default 100000)
  --sweep-jobs LIST   --jobs of the sweep mode (default 1,2)
  --keep              keep the temporary folder (logs, outputs)
  -h, --help          this text

Each build runs with its own tree's configs. The baseline is built with its own
Benchmarks/IonicsBench when it has one for charging-accuracy, otherwise with the frozen
copy in Benchmarks/baseline/IonicsBench (written against the baseline's API). The
charging reference is computed once by the first build and cached in
.build-base/charging-reference.json (recomputed when its settings change); both builds
are measured against it. Outputs go to a temporary folder, never to results/.

The 2D modes measure the current tree alone (the baseline has no 2D kernels); they repeat
internally (--repeat) and print their own tables. When only 2D modes are selected, no
baseline is built.

Examples:
  scripts/bench.sh --only run,charging --repeat 3
  scripts/bench.sh --only 2d-assembly,simd-flux --repeat 9
  scripts/bench.sh --only 2d-newton --2d-rows 63 --2d-columns 40,100,250,630,1580,3970
  BASE=HEAD~3 scripts/bench.sh --only throughput
  scripts/bench.sh --only table
  scripts/bench.sh --only sweep --repeat 3
EOF
}

BASE=${BASE:-0ef62dd}
MODES=run,table,charging,throughput
REPEAT=5
TABLE_REPEAT=1
CELLS=400,1600
VOLTS=1,10
SWEEP=1e-5,1e-6,1e-7
TARGET=3e-5
JOBS=2
KEEP=0
ROWS2D=25,40,63,100,160,250
COLUMNS2D=
CELLS2D=100000
SWEEP_JOBS=1,2
while [ $# -gt 0 ]; do
    case "$1" in
        --only) MODES=$2; shift 2 ;;
        --repeat) REPEAT=$2; shift 2 ;;
        --table-repeat) TABLE_REPEAT=$2; shift 2 ;;
        --base) BASE=$2; shift 2 ;;
        --cells) CELLS=$2; shift 2 ;;
        --volts) VOLTS=$2; shift 2 ;;
        --sweep) SWEEP=$2; shift 2 ;;
        --target) TARGET=$2; shift 2 ;;
        --jobs) JOBS=$2; shift 2 ;;
        --keep) KEEP=1; shift ;;
        --2d-rows) ROWS2D=$2; shift 2 ;;
        --2d-columns) COLUMNS2D=$2; shift 2 ;;
        --2d-cells) CELLS2D=$2; shift 2 ;;
        --sweep-jobs) SWEEP_JOBS=$2; shift 2 ;;
        -h | --help) usage; exit 0 ;;
        *) echo "bench.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done
for m in ${MODES//,/ }; do
    case "$m" in run | table | charging | throughput | 2d-newton | 2d-assembly | simd-flux | sweep) ;; *) echo "bench.sh: unknown mode $m (see --help)" >&2; exit 2 ;; esac
done
# Modes that compare the current tree with the baseline; the 2D modes measure the current tree only.
compared=0
for m in ${MODES//,/ }; do case "$m" in run | table | charging | throughput) compared=1 ;; esac; done
[ "$compared" = 1 ] || BASE=none
for n in "$REPEAT" "$TABLE_REPEAT" "$JOBS"; do
    [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "bench.sh: $n is not a positive integer" >&2; exit 2; }
done
want() { [[ ",$MODES," == *",$1,"* ]]; }

export OPENBLAS_NUM_THREADS=1
TMP=$(mktemp -d "${TMPDIR:-/tmp}/ionics-bench.XXXXXX")
if [ "$KEEP" = 1 ]; then echo "bench.sh: keeping $TMP" >&2; else trap 'rm -rf "$TMP"' EXIT; fi

need_cli=0; need_bench=0
if want run || want table || want sweep; then need_cli=1; fi
if want charging || want throughput || want 2d-newton || want 2d-assembly || want simd-flux; then need_bench=1; fi

# build DIR: release builds of the products the selected modes need.
build() {
    local products=()
    [ "$need_bench" = 1 ] && products+=(ionics-bench)
    [ "$need_cli" = 1 ] && products+=(ionics)
    for p in "${products[@]}"; do
        echo "bench.sh: building $p in ${1#"$ROOT"/}" >&2
        (cd "$1" && swift build -c release --product "$p" >"$TMP/build.log" 2>&1) || {
            tail -30 "$TMP/build.log" >&2
            echo "bench.sh: build of $p in $1 failed" >&2
            exit 1
        }
    done
}

# The baseline: a detached worktree at .build-base/src, reused (with its .build) across runs.
BUILDS=()
declare -A TREE LABEL
if [ "$BASE" != none ]; then
    SHA=$(git rev-parse --verify --quiet "$BASE^{commit}") || { echo "bench.sh: unknown baseline $BASE" >&2; exit 2; }
    SRC=$ROOT/.build-base/src
    if [ -e "$SRC" ]; then
        # Inside this tree, a folder that is not itself a worktree would resolve to this
        # tree's repository: never check out or clean anything there.
        if [ "$(git -C "$SRC" rev-parse --show-toplevel 2>/dev/null)" != "$SRC" ]; then
            echo "bench.sh: $SRC exists but is not a git worktree; remove it (and run git worktree prune)" >&2
            exit 1
        fi
        if [ "$(git -C "$SRC" rev-parse HEAD)" != "$SHA" ]; then
            git -C "$SRC" checkout -q --force --detach "$SHA"
            git -C "$SRC" clean -q -fd -- Benchmarks
        fi
    else
        mkdir -p "$ROOT/.build-base"
        git worktree add -q --detach "$SRC" "$SHA"
    fi
    if ! git cat-file -e "$SHA:Benchmarks/IonicsBench/ChargingAccuracy.swift" 2>/dev/null; then
        # The baseline predates charging-accuracy: build its ionics-bench from the frozen
        # copy, copying only what differs so that an unchanged copy is not recompiled.
        for f in "$SRC"/Benchmarks/IonicsBench/*.swift; do
            [ -e "$ROOT/Benchmarks/baseline/IonicsBench/$(basename "$f")" ] || rm -f "$f"
        done
        for f in "$ROOT"/Benchmarks/baseline/IonicsBench/*.swift; do
            cmp -s "$f" "$SRC/Benchmarks/IonicsBench/$(basename "$f")" || cp "$f" "$SRC/Benchmarks/IonicsBench/"
        done
    fi
    # Resolve the baseline's dependencies to the versions the current tree uses.
    [ -e "$SRC/Package.resolved" ] || [ ! -e "$ROOT/Package.resolved" ] || cp "$ROOT/Package.resolved" "$SRC/"
    build "$SRC"
    BUILDS+=(base)
    TREE[base]=$SRC
    LABEL[base]="baseline $(git rev-parse --short "$SHA")"
fi
build "$ROOT"
BUILDS+=(current)
TREE[current]=$ROOT
dirty=""
[ -z "$(git status --porcelain --untracked-files=no 2>/dev/null)" ] || dirty=" + uncommitted changes"
LABEL[current]="current $(git rev-parse --short HEAD)$dirty"

# Median (mean of the middle two for an even count), minimum and count of the numbers on stdin.
stats() { awk '$1 != "nan"' | sort -g | awk '{ v[NR] = $1 } END { if (!NR) { print "nan nan 0"; exit } m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.6g %.6g %d\n", m, v[1], NR }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "nan" || b == "nan" || a == "" || b == "" || a == "–" || b == "–" || b == 0) print "–"; else printf "%.2f", a / b }'; }
# order I: the builds in the order of repeat I, alternating which goes first so that
# neither always runs on a warm (or a loaded) machine right after the other.
order() { if [ $(($1 % 2)) = 1 ] || [ ${#BUILDS[@]} = 1 ]; then echo "${BUILDS[@]}"; else echo current base; fi; }

# measure NAME BUILD REPEAT CMD…: runs CMD once in the build's tree, output to a log;
# appends "NAME BUILD wall cpu" (s; cpu = user + system of CMD and its children) to TMP/times.
# On a machine shared with other jobs the wall time also counts waits for a core; the
# CPU time does not, so a ratio of CPU times survives load that a ratio of wall times may not.
TIMEFORMAT='%3R %3U %3S'
measure() {
    local name=$1 b=$2 i=$3; shift 3
    local log="$TMP/$name-$b-$i.log" wall user sys
    if ! { time (cd "${TREE[$b]}" && "$@" >"$log" 2>&1); } 2>"$TMP/time"; then
        tail -20 "$log" >&2
        echo "bench.sh: $name failed on the ${LABEL[$b]} build (log above)" >&2
        exit 1
    fi
    read -r wall user sys <"$TMP/time"
    echo "$name $b $wall $(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.3f", u + s }')" >>"$TMP/times"
    echo "bench.sh: $name, ${LABEL[$b]}, repeat $i: $wall s" >&2
}

# Every mode alternates the builds repeat by repeat: load from other users of the machine
# (builds, tests) comes and goes over minutes and must fall on both builds alike. The
# ionics-bench modes therefore run one repeat per invocation and their rows are
# aggregated here.
REFERENCE=$ROOT/.build-base/charging-reference.json
mkdir -p "$ROOT/.build-base"
if want charging && [ ! -s "$REFERENCE" ]; then
    echo "bench.sh: the first charging run computes the reference solutions (minutes; cached in ${REFERENCE#"$ROOT"/})" >&2
fi
for i in $(seq "$REPEAT"); do
    for b in $(order "$i"); do
        bin=${TREE[$b]}/.build/release/ionics-bench
        if want run; then
            measure run "$b" "$i" "${TREE[$b]}/.build/release/ionics" run configs/default.json -o "$TMP/run-$b.h5" --force
        fi
        if want throughput; then
            measure throughput "$b" "$i" "$bin" throughput --cells "$CELLS" --repeat 1 --tsv "$TMP/$b.tsv"
        fi
        if want charging; then
            measure charging "$b" "$i" "$bin" charging-accuracy --cells "$CELLS" --volts "$VOLTS" --sweep "$SWEEP" --target "$TARGET" \
                --repeat 1 --reference "$REFERENCE" --label "${LABEL[$b]}" --tsv "$TMP/$b.tsv"
        fi
    done
done
# The 2D modes: the current tree only, one invocation each (they repeat internally).
bench2d() {
    local mode=$1; shift
    echo "bench.sh: $mode, ${LABEL[current]}" >&2
    (cd "$ROOT" && .build/release/ionics-bench "$mode" "$@" --repeat "$REPEAT" >"$TMP/$mode.md" 2>"$TMP/$mode.log") || {
        tail -20 "$TMP/$mode.log" >&2
        echo "bench.sh: $mode failed (log above)" >&2
        exit 1
    }
}
if want 2d-newton; then
    if [ -n "$COLUMNS2D" ]; then bench2d 2d-newton --rows "$ROWS2D" --columns "$COLUMNS2D"; else bench2d 2d-newton --rows "$ROWS2D"; fi
fi
want 2d-assembly && bench2d 2d-assembly --cells "$CELLS2D"
want simd-flux && bench2d simd-flux --cells "$CELLS2D"
# The sweep mode: the current tree only; throughput of whole points (child runs, files,
# manifest) at each --jobs, the order of the job counts alternating repeat by repeat.
if want sweep; then
    points=$("$ROOT/.build/release/ionics" sweep scripts/bench-sweep.json -o "$TMP/sweep-list" --dry-run 2>/dev/null | wc -l)
    jobs_list=(${SWEEP_JOBS//,/ })
    for i in $(seq "$REPEAT"); do
        order_jobs=("${jobs_list[@]}")
        if [ $((i % 2)) = 0 ]; then order_jobs=($(printf '%s\n' "${jobs_list[@]}" | tac)); fi
        for j in "${order_jobs[@]}"; do
            rm -rf "$TMP/sweep-$j"
            measure "sweep-$j" current "$i" "$ROOT/.build/release/ionics" sweep scripts/bench-sweep.json -o "$TMP/sweep-$j" --jobs "$j"
        done
    done
    {
        echo "| --jobs | repeats | points | wall median (s) | points/min (median) | wall min (s) | points/min (best) | CPU median (s) |"
        echo "|---|---|---|---|---|---|---|---|"
        for j in "${jobs_list[@]}"; do
            read -r wm wmin n < <(awk -v n="sweep-$j" '$1 == n { print $3 }' "$TMP/times" | stats)
            read -r cm _ < <(awk -v n="sweep-$j" '$1 == n { print $4 }' "$TMP/times" | stats)
            echo "| $j | $n | $points | $(printf %.2f "$wm") | $(awk -v p="$points" -v w="$wm" 'BEGIN { printf "%.1f", 60 * p / w }') | $(printf %.2f "$wmin") | $(awk -v p="$points" -v w="$wmin" 'BEGIN { printf "%.1f", 60 * p / w }') | $(printf %.2f "$cm") |"
        done
    } >"$TMP/sweep.md"
fi
if want table; then
    for i in $(seq "$TABLE_REPEAT"); do
        for b in $(order "$i"); do
            measure table "$b" "$i" "${TREE[$b]}/.build/release/ionics" table --jobs "$JOBS" -o "$TMP/table-$b-$i"
            [ "$KEEP" = 1 ] || rm -rf "$TMP/table-$b-$i"
        done
    done
fi

# MARK: Report
have_base() { [ "${BUILDS[0]}" = base ]; }
# rows BUILD KIND [FIELD=VALUE…]: the TSV rows of one build and kind, filtered on fields.
rows() {
    local b=$1 kind=$2; shift 2
    [ -e "$TMP/$b.tsv" ] || return 0
    awk -F'\t' -v kind="$kind" -v conds="$*" '
        BEGIN { n = split(conds, c, " ") }
        $1 == kind { ok = 1; for (i = 1; i <= n; i++) { split(c[i], kv, "="); if ($(kv[1]) != kv[2]) ok = 0 } if (ok) print }' "$TMP/$b.tsv"
}
# column N ROWS-ARGS…: "median min count" of field N over the rows.
column() { local n=$1; shift; rows "$@" | cut -f"$n" | stats; }
# first N ROWS-ARGS…: field N of the first row (steps, iterations, errors: the same in every repeat).
first() { local n=$1 v; shift; v=$(rows "$@" | head -1 | cut -f"$n"); echo "${v:-–}"; }
fmt() { awk -v x="$1" -v f="$2" 'BEGIN { if (x == "" || x == "nan" || x == "–") print "–"; else printf f, x }'; }
# both B C FORMAT: "B / C".
both() { echo "$(fmt "$1" "$3") / $(fmt "$2" "$3")"; }
# timing "median min count" "median min count" FORMAT: medians, their ratio, minima, their ratio.
timing() {
    local bm bmin cm cmin
    read -r bm bmin _ <<<"$1"
    read -r cm cmin _ <<<"$2"
    echo "$(both "$bm" "$cm" "$3") | $(ratio "$bm" "$cm") | $(both "$bmin" "$cmin" "$3") | $(ratio "$bmin" "$cmin")"
}

for m in 2d-newton 2d-assembly simd-flux sweep; do
    if want "$m"; then
        echo
        echo "## $m (${LABEL[current]}, $(nproc) cores, $(date -u '+%Y-%m-%d %H:%M UTC'))"
        echo
        cat "$TMP/$m.md"
    fi
done
[ "$compared" = 1 ] || exit 0

echo
echo "## Baseline comparison"
echo
echo "Builds: $(have_base && echo "${LABEL[base]}" || echo "no baseline"), ${LABEL[current]}. Machine: $(nproc) cores"
echo "($(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ //')), OPENBLAS_NUM_THREADS=1, $(date -u '+%Y-%m-%d %H:%M UTC'). Every cell"
echo "\"baseline / current\"; builds alternated repeat by repeat; ratio = baseline / current (> 1: the current tree is faster)."
echo "Other jobs on the machine only ever add time: the minimum is the least disturbed figure, the median the typical one."
echo "CPU = user + system time, which does not count waits for a core (but still grows with contention for caches)."
if want run || want table; then
    echo
    echo "| command | repeats | wall median (s) | ratio | wall min (s) | ratio of minima | CPU median (s) | CPU ratio |"
    echo "|---|---|---|---|---|---|---|---|"
    for name in run table; do
        want "$name" || continue
        tstat() { awk -v n="$name" -v b="$1" -v c="$2" '$1 == n && $2 == b { print $c }' "$TMP/times" | stats; }
        read -r bc _ < <(tstat base 4)
        read -r cc _ < <(tstat current 4)
        label=$([ "$name" = run ] && echo "ionics run configs/default.json" || echo "ionics table --jobs $JOBS")
        echo "| $label | $(tstat current 3 | cut -d' ' -f3) | $(timing "$(tstat base 3)" "$(tstat current 3)" %.2f) | $(both "$bc" "$cc" %.2f) | $(ratio "$bc" "$cc") |"
    done
fi
if want throughput; then
    echo
    echo "Charging throughput: 10 V_T step, relative tolerance 1e-4, to 5 λ_D L/D (repeats: $REPEAT)."
    echo
    echo "| cells | wall median (s) | ratio | wall min (s) | ratio of minima | CPU median (s) | CPU ratio | steps | Newton iterations |"
    echo "|---|---|---|---|---|---|---|---|---|"
    for n in ${CELLS//,/ }; do
        read -r bc _ < <(column 7 base throughput 2="$n")
        read -r cc _ < <(column 7 current throughput 2="$n")
        echo "| $n | $(timing "$(column 3 base throughput 2="$n")" "$(column 3 current throughput 2="$n")" %.3f) | $(both "$bc" "$cc" %.3f) | $(ratio "$bc" "$cc") | $(first 5 base throughput 2="$n") / $(first 5 current throughput 2="$n") | $(first 6 base throughput 2="$n") / $(first 6 current throughput 2="$n") |"
    done
fi
if want charging; then
    echo
    echo "Blocking-cell charging (1:1, L = 100 λ_D), electrode charge q at 50 log-spaced times in [1e-3, 5] λ_D L/D (repeats: $REPEAT)."
    echo "Error: max |q − q_ref| / max |q_ref| against 4× the cells at relative tolerance 1e-9; time error: the same against"
    echo "the 1e-9 run on the same mesh. Tolerance: \"default\" = TimeIntegratorOptions(); otherwise the relative tolerance,"
    echo "with the absolute tolerances scaled alike. The reference's own uncertainty:"
    echo
    echo "| cells | V_T | reference cells | uncertainty, time (1e-9 vs 1e-8) | uncertainty, space (Richardson) | computed by |"
    echo "|---|---|---|---|---|---|"
    ref_by=$(grep -o '"computedBy" : "[^"]*"' "$REFERENCE" 2>/dev/null | head -1 | sed 's/.*: "//; s/"$//')
    for v in ${VOLTS//,/ }; do
        for n in ${CELLS//,/ }; do
            row=$(rows current reference 2="$n" | awk -F'\t' -v v="$v" '$3 + 0 == v + 0' | head -1)
            [ -n "$row" ] || continue
            echo "$row" | awk -F'\t' -v by="$ref_by" '{ printf "| %s | %g | %s | %.1e | %.1e | %s |\n", $2, $3, $4, $5, $6, by }'
        done
    done
    # Two meshes a factor 4 apart give the observed order of the spatial error (tight runs).
    rows current reference | awk -F'\t' '{ d[$2 "|" $3] = $6; v[$3] = 1; n[$2] = 1 }
        END { for (x in v) for (c in n) if ((4 * c) "|" x in d && d[(4 * c) "|" x] > 0)
            printf "\nObserved order in space at %g V_T, %d → %d cells: %.2f\n", x, c, 4 * c, log(d[c "|" x] / d[(4 * c) "|" x]) / log(4) }'
    echo
    echo "| cells | V_T | tolerance | error | time error | wall median (s) | ratio | wall min (s) | ratio of minima | steps | Newton iterations |"
    echo "|---|---|---|---|---|---|---|---|---|---|---|"
    rows current charging | cut -f2-4 | awk '!seen[$0]++' | while IFS=$'\t' read -r n v tol; do
        key=(2="$n" 3="$v" 4="$tol")
        echo "| $n | $(fmt "$v" %g) | $tol | $(both "$(first 5 base charging "${key[@]}")" "$(first 5 current charging "${key[@]}")" %.2e) | $(both "$(first 10 base charging "${key[@]}")" "$(first 10 current charging "${key[@]}")" %.2e) | $(timing "$(column 6 base charging "${key[@]}")" "$(column 6 current charging "${key[@]}")" %.3f) | $(first 8 base charging "${key[@]}") / $(first 8 current charging "${key[@]}") | $(first 9 base charging "${key[@]}") / $(first 9 current charging "${key[@]}") |"
    done
    echo
    echo "Time to reach $TARGET, interpolated log-log in the tolerance sweep (median over the repeats):"
    echo
    echo "| to reach | cells | V_T | wall (s) | ratio | CPU (s) | CPU ratio |"
    echo "|---|---|---|---|---|---|---|"
    nr() { if [ "$1" = nan ]; then echo "not reached"; else fmt "$1" %.3f; fi; }
    for kind in target target-time; do
        rows current "$kind" | cut -f2-3 | awk '!seen[$0]++' | while IFS=$'\t' read -r n v; do
            read -r bm _ < <(column 5 base "$kind" 2="$n" 3="$v")
            read -r cm _ < <(column 5 current "$kind" 2="$n" 3="$v")
            read -r bc _ < <(column 7 base "$kind" 2="$n" 3="$v")
            read -r cc _ < <(column 7 current "$kind" 2="$n" 3="$v")
            have_base || { bm=–; bc=–; }
            what=$([ "$kind" = target ] && echo "error $TARGET" || echo "time error $TARGET")
            echo "| $what | $n | $(fmt "$v" %g) | $(nr "$bm") / $(nr "$cm") | $(ratio "$bm" "$cm") | $(nr "$bc") / $(nr "$cc") | $(ratio "$bc" "$cc") |"
        done
    done
fi
