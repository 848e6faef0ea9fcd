#!/usr/bin/env bash
# The main job: install what is missing, build, start webex-emulator on a free loopback port and take a
# short tour of real `webex` commands against it (REST, then a real-time event). Safe to run again.
source "$(dirname "$0")/lib.sh"
ensure_apt
ensure_swift
build -c release --product webex
build -c release --product webex-emulator
BIN="$ROOT/.build/release"
step "starting webex-emulator"
start_emulator "$BIN/webex-emulator"
trap stop_emulator EXIT
echo "emulator at $WEBEX_BASE_URL; seeded people (email, name, token):" >&2
tail -n +2 "$EMULATOR_SEED" >&2
# The emulator's seeded token for alice; a real token would come from `read -rs WEBEX_ACCESS_TOKEN`.
WEBEX_ACCESS_TOKEN="$(awk -F'\t' '$1=="alice@example.com"{print $3}' "$EMULATOR_SEED")"
export WEBEX_ACCESS_TOKEN
webex() { "$BIN/webex" "$@"; }
run() { printf '\n$' >&2; printf ' %q' "$@" >&2; printf '\n' >&2; "$@"; }

run webex people me
ROOM_TITLE="Demo $(date +%H%M%S)"
run webex rooms create --title "$ROOM_TITLE"
run webex messages send --room "$ROOM_TITLE" --markdown "**Build passed** on \`main\` — see the _report_" --jq .id
REPORT="$(mktemp --suffix=.txt)"; printf 'demo report\nall green\n' >"$REPORT"
run webex messages send --room "$ROOM_TITLE" --text "the report" --file "$REPORT" --jq '.files[0]'
run webex messages send --to bob@example.com --text "hello Bob, a direct message" --jq .roomType
# The table a person sees on a terminal (WEBEX_FORCE_TTY keeps it when this script's output is piped),
# then the tab-separated rows a script gets.
WEBEX_FORCE_TTY=120 NO_COLOR=1 run webex rooms list
WEBEX_FORCE_TTY=120 NO_COLOR=1 run webex messages list --room "$ROOM_TITLE"
run webex messages list --room "$ROOM_TITLE"
run webex messages list --room "$ROOM_TITLE" --json --jq '[.[] | {from: .personEmail, text}]'
run webex rooms list --jq '.[] | select(.type == "group") | .title'
rm -f "$REPORT"

# Real-time events: alice listens (no public URL needed) while bob posts in her room.
run webex memberships create --room "$ROOM_TITLE" --person bob@example.com --jq .personEmail
EVENTS="$(mktemp)"
export WEBEX_STATE_DIR="${WEBEX_STATE_DIR:-$(mktemp -d)}"
printf '\n$ webex messages listen --room %q --count 1 --timeout 30 &   # then bob posts\n' "$ROOM_TITLE" >&2
webex messages listen --room "$ROOM_TITLE" --count 1 --timeout 30 >"$EVENTS" &
listener=$!
for _ in $(seq 1 100); do
  curl -s "${WEBEX_BASE_URL%/v1}/_emulator/mercury/connections" | grep -q '"authorized":true' && break
  sleep 0.1
done
BOB_TOKEN="$(awk -F'\t' '$1=="bob@example.com"{print $3}' "$EMULATOR_SEED")"
WEBEX_ACCESS_TOKEN="$BOB_TOKEN" "$BIN/webex" messages send --room "$ROOM_TITLE" --text "deploy finished, from bob" --jq .id >/dev/null
wait "$listener"
jq -c '{resource, event, from: .data.personEmail, text: .data.text}' "$EVENTS"
rm -f "$EVENTS"
# Media: two `webex media call` processes on this machine, each sending a tone and a test pattern (H.264 one
# way, encrypted with DTLS-SRTP), each measuring what arrives.
CALL="$(mktemp -d)"
printf '\n$ webex media call --offer-out offer.sdp --answer-in answer.sdp --audio tone:440 --duration 3 &\n' >&2
printf '$ webex media call --offer-in offer.sdp --answer-out answer.sdp --audio tone:660 --duration 3\n' >&2
webex media call --bind 127.0.0.1 --offer-out "$CALL/offer.sdp" --answer-in "$CALL/answer.sdp" --audio tone:440 \
    --video pattern:320x180@15 --codec h264 --duration 3 >"$CALL/a.json" &
caller=$!
webex media call --bind 127.0.0.1 --offer-in "$CALL/offer.sdp" --answer-out "$CALL/answer.sdp" --audio tone:660 \
    --video pattern:320x180@15 --codec h264 --duration 3 >"$CALL/b.json"
wait "$caller"
for side in a b; do
  jq -c --arg side "$side" '{side: $side, srtp: .connection.srtpProfile,
      heard: (.streams[] | select(.kind == "audio") | .received.frequencyHz),
      video: (.streams[] | select(.kind == "video") | "\(.codec) \(.received.framesDecoded) frames \(.received.width)x\(.received.height)")}' \
      "$CALL/$side.json"
done
rm -rf "$CALL"
step "done: the tour ran against $WEBEX_BASE_URL"
