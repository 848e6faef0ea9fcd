#!/usr/bin/env bash
# Device benchmarks (issue #8), printed as shares of the real-time budget:
#   P5 audio: CPU per 10 ms frame through ALSA capture + echo cancellation, noise suppression, gain control;
#   P5 video: CPU per 1280x720 frame through V4L2 capture + libv4l2's YUYV->I420 conversion + the copy into a
#             VideoFrame, from the fake camera (libv4l2 plugin) in a private mount namespace (needs root).
# Usage: bash bench/devices.sh [SECONDS]
source "$(dirname "$0")/../scripts/lib.sh"
SECONDS_AUDIO="${1:-10}"
ensure_apt
cd "$ROOT"
step "building media-bench and v4l2-check (release, .build-bench)"
swift build -c release --scratch-path .build-bench --product media-bench >/dev/null
swift build -c release --scratch-path .build-bench --product v4l2-check >/dev/null
BIN="$ROOT/.build-bench/release"

step "P5 audio: ${SECONDS_AUDIO}s of capture through a test PCM, with and without processing"
"$BIN/media-bench" p5 --seconds "$SECONDS_AUDIO"

step "P5 video: 720p frames from the fake camera through libv4l2"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
mkdir -p "$work/plugins" "$work/dev"
gcc -O2 -shared -fPIC -o "$work/plugins/libv4l-fakecam.so" "$ROOT/Tests/Fixtures/fakecam/fakecam_plugin.c"
PLUGINS=/usr/lib/x86_64-linux-gnu/libv4l/plugins
cp "$PLUGINS"/*.so "$work/plugins/" 2>/dev/null || true
for n in fakecam0 fakecam-stall fakecam-unplug fakecam-drops fakecam-range; do : > "$work/dev/$n"; done
unshare -m --propagation private sh -c 'mount --bind "$1" "$2" && exec "$3" "$4"' sh "$work/plugins" "$PLUGINS" \
    "$BIN/v4l2-check" "$work/dev" > "$work/report.json" 2>/dev/null
python3 - "$work/report.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))["stream"]
ms = s["readCPUMillisPerFrame"]
print("P5 video: %dx%d, %d frames: %.2f ms CPU per frame (the fake camera drawing each frame included, so an upper bound)"
      % (s["width"], s["height"], s["frames"], ms))
print("P5 video: %.1f %% of the budget at 30 fps (33.3 ms), %.1f %% at 15 fps" % (ms / 33.33 * 100, ms / 66.67 * 100))
PY
