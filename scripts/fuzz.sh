#!/usr/bin/env bash
# Fuzzes the media parsers (STUN, RTP, RTCP, SDP) with libFuzzer: scripts/fuzz.sh [SECONDS_EACH] [TARGET…]
# Builds in .build-fuzz (its own scratch path), seeds from Tests/Fuzz/corpus/<target>/, keeps what it finds in
# .build-fuzz/corpus/<target>/ and writes any crash to .build-fuzz/artifacts/<target>/ (then exits 1).
# The test suite runs it for a few seconds per target; bench/README.md documents the long run.
source "$(dirname "$0")/lib.sh"
ensure_swift
cd "$ROOT"
SECONDS_EACH="${1:-15}"; shift || true
TARGETS=("$@"); [ ${#TARGETS[@]} -gt 0 ] || TARGETS=(FuzzSTUN FuzzRTP FuzzRTCP FuzzSDP)
mkdir -p .build-fuzz
for t in "${TARGETS[@]}"; do
    step "building $t with --sanitize=fuzzer"
    set +e
    swift build -q --scratch-path .build-fuzz --sanitize=fuzzer --product "$t" >".build-fuzz/$t.build.log" 2>&1
    built=$?
    set -e
    if [ "$built" -ne 0 ]; then grep -E "error" ".build-fuzz/$t.build.log" | head -20 >&2; echo "building $t failed" >&2; exit 1; fi
    rm -f ".build-fuzz/$t.build.log"
done
status=0
for t in "${TARGETS[@]}"; do
    mkdir -p ".build-fuzz/corpus/$t" ".build-fuzz/artifacts/$t"
    step "fuzzing $t for ${SECONDS_EACH}s"
    # Swift's own backtracer would take the crash first and no crash file would be written.
    if ! SWIFT_BACKTRACE=enable=no ".build-fuzz/debug/$t" ".build-fuzz/corpus/$t" "Tests/Fuzz/corpus/$t" \
        -max_total_time="$SECONDS_EACH" -timeout=5 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix=".build-fuzz/artifacts/$t/" 2>".build-fuzz/$t.log"; then
        echo "$t: libFuzzer found a failure; see .build-fuzz/$t.log and .build-fuzz/artifacts/$t/" >&2
        tail -n 30 ".build-fuzz/$t.log" >&2
        status=1
    else
        grep -E "stat::number_of_executed_units|stat::peak_rss_mb" ".build-fuzz/$t.log" | tr '\n' ' ' >&2; echo >&2
    fi
done
exit $status
