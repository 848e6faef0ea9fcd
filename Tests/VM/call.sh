# Runs inside the QEMU VM of scripts/vm-lane.sh: a call between two `webex media call` processes over the
# VM's loopback network where one side uses real devices. B sends a 440 Hz tone; A plays what it receives on
# the snd-aloop speaker (hw:Loopback,0,0) and sends what its microphone (hw:Loopback,1,0) hears back to B.
# With audio processing off, B must hear its own tone come back: the devices carried it both ways, at
# their own pace. (Echo cancellation is not checked here: under software emulation the VM runs the
# canceller slower than real time, so the microphone overruns; see the unit tests for its assertions.)
ip link set lo up 2>/dev/null || ifconfig lo 127.0.0.1 up

num() { grep -o "\"$2\":-\{0,1\}[0-9.]*" "$1" | head -n 1 | cut -d: -f2; }
between() { awk -v v="$1" -v lo="$2" -v hi="$3" 'BEGIN { exit !(v != "" && v >= lo && v <= hi) }'; }

call() {  # $1: extra option for A ("" or --no-audio-processing); $2: label
    rm -f /tmp/o.sdp /tmp/a.sdp
    webex media call --bind 127.0.0.1 --offer-out /tmp/o.sdp --answer-in /tmp/a.sdp --video none \
        --audio mic:hw:Loopback,1,0 --speaker hw:Loopback,0,0 $1 --duration 4 > /tmp/a-$2.json 2>/tmp/a-$2.err &
    webex media call --bind 127.0.0.1 --offer-in /tmp/o.sdp --answer-out /tmp/a.sdp --video none \
        --audio tone:440 --duration 4 --connect-timeout 30 > /tmp/b-$2.json 2>/tmp/b-$2.err
    wait
    note "A ($2): $(cut -c1-700 /tmp/a-$2.json) $(cut -c1-300 /tmp/a-$2.err)"
    note "B ($2): $(cut -c1-700 /tmp/b-$2.json) $(cut -c1-300 /tmp/b-$2.err)"
}

call --no-audio-processing raw
f=$(num /tmp/b-raw.json frequencyHz)
check "without processing B hears its 440 Hz tone back through A's speaker and microphone (got $f)" between "$f" 435 445
level=$(num /tmp/b-raw.json levelDBFS)
check "the returned tone is loud, not leakage ($level dBFS)" between "$level" -30 0
