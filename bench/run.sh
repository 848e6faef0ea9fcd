#!/usr/bin/env bash
# Benchmarks (not tests): P1 `webex rooms list` vs curl vs WebexPythonSDK; P2 streaming 10,000 messages
# with `--all --jsonl` vs a curl loop over the same pages, with webex's peak RSS. Prints medians and ratios
# measured side by side in this run. Usage: bash bench/run.sh [runs]
source "$(dirname "$0")/../scripts/lib.sh"
RUNS="${1:-30}"
APT_PACKAGES+=(hyperfine time)
ensure_apt
build -c release --product webex
build -c release --product webex-emulator
BIN="$ROOT/.build/release"
if [ ! -x "$ROOT/.venv/bin/python" ]; then python3 -m venv "$ROOT/.venv"; fi
"$ROOT/.venv/bin/pip" install -q --disable-pip-version-check webexpythonsdk
start_emulator "$BIN/webex-emulator"
trap stop_emulator EXIT
TOKEN="$(awk -F'\t' '$1=="alice@example.com"{print $3}' "$EMULATOR_SEED")"
export WEBEX_ACCESS_TOKEN="$TOKEN"
work="$(mktemp -d)"; trap 'stop_emulator; rm -rf "$work"' EXIT
# Curl reads the header from a file so the token is not in its arguments.
printf 'Authorization: Bearer %s\n' "$TOKEN" >"$work/auth"; chmod 600 "$work/auth"

step "seeding: 20 rooms and one room with 10,000 messages"
"$ROOT/.venv/bin/python" - "$WEBEX_BASE_URL" "$TOKEN" >"$work/room" <<'PY'
import http.client, json, sys, urllib.parse
base, token = sys.argv[1], sys.argv[2]
u = urllib.parse.urlparse(base)
c = http.client.HTTPConnection(u.hostname, u.port)
h = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}
def post(path, body):
    c.request("POST", u.path + path, json.dumps(body), h)
    r = c.getresponse(); data = r.read(); assert r.status == 200, data
    return json.loads(data)
for i in range(20):
    post("/rooms", {"title": "bench room %d" % i})
room = post("/rooms", {"title": "bench messages"})["id"]
for i in range(10000):
    post("/messages", {"roomId": room, "text": "benchmark message number %d with some text to make it realistic" % i})
print(room)
PY
ROOM="$(cat "$work/room")"

median() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['results'][0]['median'])" "$1"; }

step "P1: rooms list ($RUNS runs each)"
cat >"$work/pysdk.py" <<PY
from webexpythonsdk import WebexAPI
api = WebexAPI(access_token=open("$work/token").read().strip(), base_url="$WEBEX_BASE_URL/")
rooms = list(api.rooms.list(max=100))
PY
printf '%s' "$TOKEN" >"$work/token"; chmod 600 "$work/token"
hyperfine -N --warmup 3 --runs "$RUNS" --export-json "$work/p1-webex.json" "$BIN/webex rooms list --json" >/dev/null
hyperfine -N --warmup 3 --runs "$RUNS" --export-json "$work/p1-curl.json" "curl -s -H @$work/auth $WEBEX_BASE_URL/rooms?max=100" >/dev/null
hyperfine -N --warmup 1 --runs "$RUNS" --export-json "$work/p1-py.json" "$ROOT/.venv/bin/python $work/pysdk.py" >/dev/null
w=$(median "$work/p1-webex.json"); c=$(median "$work/p1-curl.json"); p=$(median "$work/p1-py.json")
python3 - "$w" "$c" "$p" <<'PY'
import sys
w, c, p = map(float, sys.argv[1:])
print("P1 rooms list  median: webex %.1f ms, curl %.1f ms, WebexPythonSDK %.1f ms" % (w * 1e3, c * 1e3, p * 1e3))
print("P1 ratios: webex/curl = %.2fx (target <= 1.15x); WebexPythonSDK/webex = %.1fx (target >= 5x)" % (w / c, p / w))
PY

step "P2: 10,000 messages, --all --jsonl vs a curl loop over the same pages"
cat >"$work/curl-loop.sh" <<SH
#!/usr/bin/env bash
url="$WEBEX_BASE_URL/messages?roomId=$ROOM&max=100"
while [ -n "\$url" ]; do
  url=\$(curl -s -H @$work/auth -D - -o /dev/stdout "\$url" | tee -a /dev/null | sed -n 's/^[Ll]ink: <\(.*\)>; rel="next".*/\1/p' | tr -d '\r')
done
SH
chmod +x "$work/curl-loop.sh"
hyperfine -N --warmup 1 --runs 5 --export-json "$work/p2-webex.json" "$BIN/webex messages list --room $ROOM --all --jsonl" >/dev/null
hyperfine -N --warmup 1 --runs 5 --export-json "$work/p2-curl.json" "bash $work/curl-loop.sh" >/dev/null
/usr/bin/time -f '%M' -o "$work/rss" "$BIN/webex" messages list --room "$ROOM" --all --jsonl >"$work/out.jsonl"
lines=$(wc -l <"$work/out.jsonl")
w=$(median "$work/p2-webex.json"); c=$(median "$work/p2-curl.json")
python3 - "$w" "$c" "$(cat "$work/rss")" "$lines" <<'PY'
import sys
w, c, rss, n = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
print("P2 %d messages median: webex %.0f ms, curl loop %.0f ms; ratio webex/curl = %.2fx (target <= 1.1x)" % (n, w * 1e3, c * 1e3, w / c))
print("P2 webex peak RSS: %.1f MB (target <= 30 MB)" % (rss / 1024))
PY

step "P6: event latency and throughput (emulator pushes 5,000 message events to webex messages listen)"
# bob posts in a room with alice; alice listens. Each event's latency is measured inside webex from the
# moment the socket frame is read to the moment its JSON line is written (including the REST fetch of
# the message, since the socket carries only encrypted text); the rate is first to last line.
BOB_TOKEN="$(awk -F'\t' '$1=="bob@example.com"{print $3}' "$EMULATOR_SEED")"
printf 'Authorization: Bearer %s\n' "$BOB_TOKEN" >"$work/bob-auth"; chmod 600 "$work/bob-auth"
P6_ROOM=$(curl -s -H @"$work/auth" -H 'Content-Type: application/json' -d '{"title":"bench events"}' "$WEBEX_BASE_URL/rooms" | jq -r .id)
curl -s -H @"$work/auth" -H 'Content-Type: application/json' -d "{\"roomId\":\"$P6_ROOM\",\"personEmail\":\"bob@example.com\"}" \
  "$WEBEX_BASE_URL/memberships" >/dev/null
ORIGIN="${WEBEX_BASE_URL%/v1}"
export WEBEX_STATE_DIR="$work/state"
"$BIN/webex" messages listen --room "$P6_ROOM" --count 5000 --timeout 120 --stats >"$work/events.jsonl" 2>"$work/events.err" &
listener=$!
for _ in $(seq 1 200); do
  curl -s "$ORIGIN/_emulator/mercury/connections" | jq -e '[.items[] | select(.authorized)] | length > 0' >/dev/null && break
  sleep 0.05
done
curl -s -X POST -H 'Content-Type: application/json' -d "{\"email\":\"bob@example.com\",\"roomId\":\"$P6_ROOM\",\"count\":5000}" \
  "$ORIGIN/_emulator/mercury/flood" >/dev/null
wait "$listener"
python3 - "$work/events.err" "$(wc -l <"$work/events.jsonl")" <<'PY'
import json, sys
stats = json.loads([l for l in open(sys.argv[1]) if l.startswith("{")][-1])
lat = stats["latencyMs"]
print("P6 %s lines written; %d events timed: %.0f events/s (target >= 2,000); latency p50 %.2f ms, p99 %.2f ms, max %.2f ms (target p99 <= 5 ms)"
      % (sys.argv[2], stats["events"], stats["perSecond"], lat["p50"], lat["p99"], lat["max"]))
PY
