# Runs inside the QEMU VM (busybox sh) of scripts/vm-lane.sh, against real kernel drivers: vivid (a V4L2
# camera) and snd-aloop (a loopback sound card: what is played on hw:Loopback,0,0 is captured on
# hw:Loopback,1,0). Our own `webex media devices` and `webex media test` are the programs under test.
# Helpers from vm-lane.sh: check NAME CMD…, fail NAME [WHY], note TEXT, uptime_s, elapsed_ok T0 T1 MIN MAX.

num() { grep -o "\"$2\":-\{0,1\}[0-9.]*" "$1" | head -n 1 | cut -d: -f2; }
between() { awk -v v="$1" -v lo="$2" -v hi="$3" 'BEGIN { exit !(v != "" && v >= lo && v <= hi) }'; }

check "webex media devices --json" sh -c 'webex media devices --json > /tmp/devices.json 2>/tmp/devices.err'
note "devices: $(cut -c1-600 /tmp/devices.json)"
check "devices list the vivid camera" grep -q '"driver":"vivid"' /tmp/devices.json
check "devices list the loopback card" grep -q 'hw:Loopback\|"name":"hw:0,0"' /tmp/devices.json

# A tone played into the loopback card while the microphone side records it: the right frequency, at the
# pace of the device clock (2 s of audio take about 2 s).
check "webex media test: loopback tone" sh -c 'webex media test --mic hw:Loopback,1,0 --speaker hw:Loopback,0,0 --play tone:440 --seconds 2 --json > /tmp/audio.json 2>/tmp/audio.err'
note "audio: $(cat /tmp/audio.json) $(cut -c1-300 /tmp/audio.err)"
f=$(num /tmp/audio.json frequencyHz)
check "tone captured at 440 Hz (got $f)" between "$f" 435 445
w=$(num /tmp/audio.json wallSeconds)
check "capture paced by the device clock (2 s in $w s)" between "$w" 1.8 3.0
check "no overruns" sh -c '! grep -q "\"xruns\":[1-9]" /tmp/audio.json'

# The camera at the requested size and rate.
check "webex media test: vivid camera" sh -c 'webex media test --camera /dev/video0 --size 640x360 --fps 30 --seconds 2 --snapshot /tmp/snap.png --json > /tmp/camera.json 2>/tmp/camera.err'
note "camera: $(cat /tmp/camera.json) $(cut -c1-300 /tmp/camera.err)"
check "camera frames at 640x360" sh -c 'grep -q "\"width\":640" /tmp/camera.json && grep -q "\"height\":360" /tmp/camera.json'
n=$(num /tmp/camera.json frames)
check "camera delivered frames for 2 s ($n)" between "$n" 40 80
r=$(num /tmp/camera.json measuredFramesPerSecond)
check "camera rate near 30 fps ($r)" between "$r" 24 36
check "snapshot written" test -s /tmp/snap.png
