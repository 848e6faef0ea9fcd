#!/usr/bin/env bash
# Media benchmarks (not tests, not run by CI): P3 send-pipeline CPU vs the raw codecs and vs aiortc, at
# 640x360 and 1280x720, VP8 and H.264; P4 loopback latency (capture → decoded / played), VP8 and H.264.
# Prints each measurement, then a table of the ratios against the issue's targets. See bench/README.md.
# Usage: bash bench/media.sh [SECONDS] [ROUNDS]   (seconds of sending per run, default 10; P3 rounds, default 3:
# pipeline, raw and aiortc alternate and the medians are compared)
source "$(dirname "$0")/../scripts/lib.sh"
SECONDS_EACH="${1:-10}"
ROUNDS="${2:-3}"
ensure_swift
ensure_apt
# Its own scratch path: a release build here does not disturb a debug build in .build.
SCRATCH="${MEDIA_BENCH_SCRATCH:-$ROOT/.build-bench}"
build -c release --scratch-path "$SCRATCH" --product webex
build -c release --scratch-path "$SCRATCH" --product media-bench
BIN="$SCRATCH/release"

step "aiortc in .venv"
if [ ! -x "$ROOT/.venv/bin/python" ]; then python3 -m venv "$ROOT/.venv"; fi
"$ROOT/.venv/bin/python" -c 'import aiortc' 2>/dev/null \
    || "$ROOT/.venv/bin/pip" install -q --disable-pip-version-check aiortc

work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
log="$work/bench.log"
step "machine: $(nproc) CPU(s), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(date -u '+%Y-%m-%d %H:%M UTC')"

for size in 640x360 1280x720; do
    for codec in vp8 h264; do
        step "P3 $size $codec"
        "$BIN/media-bench" p3 --size "$size" --codec "$codec" --seconds "$SECONDS_EACH" --rounds "$ROUNDS" --webex "$BIN/webex" \
            --python "$ROOT/.venv/bin/python" --aiortc-peer "$ROOT/Tests/Interop/peers/aiortc_peer.py" \
            --work-dir "$work/p3" | tee -a "$log"
    done
done
for codec in vp8 h264; do
    step "P4 $codec"
    "$BIN/media-bench" p4 --codec "$codec" --seconds "$SECONDS_EACH" | tee -a "$log"
done

step "summary"
awk '
function val(k,   i, kv) { for (i = 1; i <= NF; i++) { split($i, kv, "="); if (kv[1] == k) return kv[2] } return "-" }
function verdict(v, op, t) { if (v == "-") return "n/a"; return (op == "le" ? (v + 0 <= t) : (v + 0 >= t)) ? "met" : "MISSED" }
$1 == "RESULT" && $2 == "p3" {
    if (!p3++) {
        printf "P3 send CPU, ms per frame (sending phase)  target: pipeline/raw <= 1.15x, aiortc/pipeline >= 4x\n"
        printf "%-9s %-5s %8s %9s %8s %12s %-7s %15s %-7s\n", "size", "codec", "raw", "pipeline", "aiortc", "pipeline/raw", "", "aiortc/pipeline", ""
    }
    printf "%-9s %-5s %8s %9s %8s %11sx %-7s %14sx %-7s\n", $3, $4, val("raw"), val("pipeline"), val("aiortc"),
        val("vsraw"), verdict(val("vsraw"), "le", 1.15), val("vsaiortc"), verdict(val("vsaiortc"), "ge", 4)
}
$1 == "RESULT" && $2 == "p4" {
    if (!p4++) {
        printf "\nP4 loopback latency, ms  target: video p95 <= 40, audio p95 <= 60\n"
        printf "%-5s %9s %9s %9s %-7s %9s %9s %9s %-7s\n", "codec", "video p50", "p95", "max", "", "audio p50", "p95", "max", ""
    }
    printf "%-5s %9s %9s %9s %-7s %9s %9s %9s %-7s\n", $3, val("video_p50"), val("video_p95"), val("video_max"),
        verdict(val("video_p95"), "le", 40), val("audio_p50"), val("audio_p95"), val("audio_max"), verdict(val("audio_p95"), "le", 60)
}' "$log"
