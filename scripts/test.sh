#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds, checks generated docs, runs the Swift tests
# (unit + end to end against the real emulator process) and the interop tests with third-party peers
# (WebexPythonSDK and webex-bot from PyPI; Python's websockets package as a websocket server; aiortc as the
# WebRTC peer of the media engine, coturn as its TURN relay), our device commands against real kernel drivers
# in a QEMU VM (scripts/vm-lane.sh), and a short libFuzzer run over the media parsers.
source "$(dirname "$0")/lib.sh"
ensure_apt
ensure_swift
cd "$ROOT"
step "python peers: webexpythonsdk, webex-bot, websockets, aiortc, pytest (in .venv)"
if [ ! -x "$ROOT/.venv/bin/python" ]; then python3 -m venv "$ROOT/.venv"; fi
"$ROOT/.venv/bin/python" -c 'import webexpythonsdk, webex_bot, websockets, aiortc, pytest' 2>/dev/null \
  || "$ROOT/.venv/bin/pip" install -q --disable-pip-version-check webexpythonsdk webex-bot websockets aiortc pytest
build --build-tests
step "checking completions/ and man/ against the command definitions"
"$ROOT/scripts/gen-docs.sh" --check

# The media tests encode, decode and block on devices and child processes for seconds at a time; run beside
# the REST, events and emulator tests on 2 cores they starve those tests' timers. So they run on their own.
MEDIA_TESTS='WebexMediaTests|MediaCallTests|MediaDeviceTests'
: > "$ROOT/.build/swift-test.log"
for part in "--skip $MEDIA_TESTS" "--filter $MEDIA_TESTS"; do
    step "swift test $part"
    set +e
    # Per-test "passed" lines are left out; failures, issues and the closing summary are shown.
    # shellcheck disable=SC2086
    swift test --skip-build $part 2>&1 | tee -a "$ROOT/.build/swift-test.log" | grep -vE '^(Test Case|Test Suite|◇)|^✔ Test [A-Za-z0-9_]+\(|^✔ Suite '
    status=${PIPESTATUS[0]}
    set -e
    if [ "$status" -ne 0 ]; then echo "swift test failed (exit $status); full log: .build/swift-test.log" >&2; exit "$status"; fi
done

step "interop: WebexPythonSDK and webex-bot against webex-emulator"
start_emulator "$ROOT/.build/debug/webex-emulator"
trap stop_emulator EXIT
export WEBEX_EMULATOR_URL="$WEBEX_BASE_URL"
WEBEX_TEST_TOKEN="$(awk -F'\t' '$1=="alice@example.com"{print $3}' "$EMULATOR_SEED")"
export WEBEX_TEST_TOKEN
WEBEX_TEST_TOKEN_BOB="$(awk -F'\t' '$1=="bob@example.com"{print $3}' "$EMULATOR_SEED")"
export WEBEX_TEST_TOKEN_BOB
set +e
"$ROOT/.venv/bin/python" -m pytest -q "$ROOT/Tests/Interop" 2>&1 | tee "$ROOT/.build/interop.log"
status=${PIPESTATUS[0]}
set -e
swift_count=$(sed -n 's/.*Test run with \([0-9]*\) tests.*passed.*/\1/p' "$ROOT/.build/swift-test.log" | awk '{ n += $1 } END { print n + 0 }')
py_count=$(sed -n 's/^\([0-9]*\) passed.*/\1/p' "$ROOT/.build/interop.log" | tail -n1)
[ "$status" -eq 0 ] || { echo "interop tests failed (exit $status)" >&2; exit "$status"; }

step "real drivers: webex media devices/test in a QEMU VM with vivid (camera) and snd-aloop (sound card)"
"$ROOT/scripts/vm-lane.sh" --payload "$ROOT/Tests/VM/media.sh" --payload "$ROOT/Tests/VM/call.sh"

step "fuzz: the STUN, RTP, RTCP and SDP parsers under libFuzzer, ${WEBEX_FUZZ_SECONDS:-10}s each"
"$ROOT/scripts/fuzz.sh" "${WEBEX_FUZZ_SECONDS:-10}"
step "all tests passed"
echo "tests: $(( ${swift_count:-0} + ${py_count:-0} )) passed, 0 failed"
