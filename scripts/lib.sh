# Shared helpers for the scripts: say what is happening, install what is missing.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="/opt/swift/usr/bin:$PATH"

step() { printf '\n==> %s\n' "$*" >&2; }

# Debian packages the build and the tests need (C libraries from Debian, jq for script checks; the media
# codecs and SRTP; coturn as the TURN relay the media tests go through).
APT_PACKAGES=(libcurl4-openssl-dev libssl-dev libjq-dev pkg-config jq curl openssl python3-venv
    libsrtp2-dev libopus-dev libvpx-dev libopenh264-dev coturn
    libasound2-dev libv4l-dev libspeexdsp-dev libwebrtc-audio-processing-dev alsa-utils v4l-utils gcc)

ensure_apt() {
    local missing=()
    for p in "${APT_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    if [ ${#missing[@]} -eq 0 ]; then step "apt packages present: ${APT_PACKAGES[*]}"; return; fi
    step "installing apt packages: ${missing[*]}"
    local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

ensure_swift() {
    command -v swift >/dev/null || { echo "swift not found: install the Swift 6 toolchain (expected in /opt/swift)" >&2; exit 1; }
}

build() {
    step "building (swift build $*)"
    (cd "$ROOT" && swift build "$@")
}

# Starts the emulator on a free loopback port; sets EMULATOR_PID and WEBEX_BASE_URL.
start_emulator() {
    local bin="$1"; shift
    local out; out="$(mktemp)"
    "$bin" --port 0 --quiet "$@" >"$out" 2>"$out.err" &
    EMULATOR_PID=$!
    for _ in $(seq 1 200); do
        if [ -s "$out" ]; then break; fi
        kill -0 "$EMULATOR_PID" 2>/dev/null || { cat "$out.err" >&2; echo "emulator exited" >&2; exit 1; }
        sleep 0.05
    done
    WEBEX_BASE_URL="$(head -n1 "$out")"
    export WEBEX_BASE_URL
    EMULATOR_SEED="$out"
}

stop_emulator() { [ -n "${EMULATOR_PID:-}" ] && kill "$EMULATOR_PID" 2>/dev/null && wait "$EMULATOR_PID" 2>/dev/null || true; }
