#!/usr/bin/env bash
# Real-driver test lane: boots Debian's own kernel in QEMU under software emulation (TCG) with the
# `vivid` virtual camera and the `snd-aloop` loopback sound card, from a busybox initramfs holding our
# test binaries and their shared libraries, runs a payload there and reports `VM-LANE: PASS|FAIL`.
#
#   scripts/vm-lane.sh [--bin PATH]... [--lib PATH]... [--file SRC[:DEST]]... [--payload FILE]...
#                      [--no-default-checks] [--no-webex] [--timeout SECONDS] [--verbose] [--keep]
#
#   --bin PATH        copy an executable to /bin/<name> in the VM, with every library `ldd` lists
#   --lib PATH        copy a library (and its ldd closure) to the same path in the VM (for dlopen'ed ones;
#                     libasound.so.2, libv4l2.so.0, libsrtp2.so.1 and the libv4l plugins are added by default)
#   --file SRC[:DEST] copy a data file or folder into the VM (DEST defaults to /data/<name>)
#   --payload FILE    a shell script (busybox sh) run in the VM after the default checks, in its own
#                     subshell with the helpers below; repeatable; runs in order
#   --no-default-checks   run only the --payload scripts (plus module loading)
#   --no-webex        do not copy .build/debug/webex (copied to /bin/webex by default when it exists; its
#                     ~150 MB of binary + Swift libraries cost about 6 s of boot under TCG)
#   --timeout SECONDS the VM's wall-clock bound on the host (default 240); qemu is killed when it expires
#   --verbose         print the whole serial console, not only the payload section
#   --keep            keep the work folder (.build-vm/run.XXXXXX: initramfs root, initrd, console log)
#
# Helpers available to payloads (defined in /lib/vm-lane.sh, already sourced):
#   check NAME CMD...   run CMD; print "CHECK PASS NAME" or "CHECK FAIL NAME (exit N)" and record failures
#   fail NAME [WHY]     record a failure;  note TEXT: print an informational line
#   uptime_s            seconds since boot with centiseconds (from /proc/uptime), for real-time measurements
#   elapsed_ok START END MIN MAX   true when MIN <= END-START <= MAX (decimal seconds)
# A payload that exits non-zero counts as a failure too. The verdict is printed by /init as the last
# line: `VM-LANE: PASS` when nothing failed, otherwise `VM-LANE: FAIL (N failed: names)`.
#
# Exit status: 0 PASS, 1 FAIL, 2 usage error, 3 setup error, 124 timeout (qemu killed).
# The kernel and modules are cached under .build-vm/ (gitignored by `.build-*/`).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VMDIR="${VM_LANE_DIR:-$ROOT/.build-vm}"
TIMEOUT=240
VERBOSE=0
KEEP=0
DEFAULT_CHECKS=1
WITH_WEBEX=1
BINS=()
LIBS=()
FILES=()
PAYLOADS=()
MODULES=(vivid snd-aloop)
T0=$(date +%s.%N)

step() { printf '==> %s\n' "$*" >&2; }
die() { printf 'vm-lane: %s\n' "$*" >&2; exit 3; }
usage() { awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0" >&2; exit 2; }
since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }

while [ $# -gt 0 ]; do
    case "$1" in
        --bin) [ $# -ge 2 ] || usage; BINS+=("$2"); shift 2 ;;
        --lib) [ $# -ge 2 ] || usage; LIBS+=("$2"); shift 2 ;;
        --file) [ $# -ge 2 ] || usage; FILES+=("$2"); shift 2 ;;
        --payload) [ $# -ge 2 ] || usage; PAYLOADS+=("$2"); shift 2 ;;
        --no-default-checks) DEFAULT_CHECKS=0; shift ;;
        --no-webex) WITH_WEBEX=0; shift ;;
        --timeout) [ $# -ge 2 ] || usage; TIMEOUT="$2"; shift 2 ;;
        --verbose) VERBOSE=1; shift ;;
        --keep) KEEP=1; shift ;;
        -h|--help) usage ;;
        *) printf 'vm-lane: unknown argument %s\n' "$1" >&2; usage ;;
    esac
done
for f in "${BINS[@]}" "${LIBS[@]}" "${PAYLOADS[@]}"; do [ -e "$f" ] || die "no such file: $f"; done

# ---------------------------------------------------------------------------------------------------
# 1. Host tools
# ---------------------------------------------------------------------------------------------------
sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
need=()
command -v qemu-system-x86_64 >/dev/null || need+=(qemu-system-x86)
dpkg-query -W -f='${Status}' busybox-static 2>/dev/null | grep -q 'ok installed' || need+=(busybox-static)
command -v cpio >/dev/null || need+=(cpio)
command -v depmod >/dev/null && command -v modprobe >/dev/null || need+=(kmod)
command -v aplay >/dev/null && command -v arecord >/dev/null || need+=(alsa-utils)
command -v v4l2-ctl >/dev/null || need+=(v4l-utils)
command -v gcc >/dev/null || need+=(gcc libc6-dev)
if [ ${#need[@]} -gt 0 ]; then
    step "installing apt packages: ${need[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# ---------------------------------------------------------------------------------------------------
# 2. Debian kernel image (downloaded and unpacked, never installed), cached under .build-vm/kernel/<ver>
# ---------------------------------------------------------------------------------------------------
mkdir -p "$VMDIR/kernel"
kpkg_from_apt() { apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ { print $2; exit }'; }
KPKG="$(kpkg_from_apt || true)"
if [ -z "$KPKG" ]; then
    # No candidate in the apt cache (never updated?): reuse a cached kernel, else update and ask again.
    cached="$(ls -1 "$VMDIR/kernel" 2>/dev/null | grep -E '^[0-9].*-amd64$' | sort -V | tail -n1 || true)"
    if [ -n "$cached" ] && [ -f "$VMDIR/kernel/$cached/.complete" ]; then
        KPKG="linux-image-$cached"
    else
        $sudo apt-get update -qq
        KPKG="$(kpkg_from_apt || true)"
    fi
fi
[ -n "$KPKG" ] || die "cannot find linux-image-amd64's kernel package in apt"
KVER="${KPKG#linux-image-}"
KDIR="$VMDIR/kernel/$KVER"
if [ ! -f "$KDIR/.complete" ]; then
    step "downloading and unpacking $KPKG (not installed)"
    rm -rf "$KDIR" "$VMDIR/dl"; mkdir -p "$VMDIR/dl" "$KDIR"
    if ! (cd "$VMDIR/dl" && apt-get download -qq "$KPKG" 2>/dev/null); then
        $sudo apt-get update -qq
        (cd "$VMDIR/dl" && apt-get download -qq "$KPKG") || die "apt-get download $KPKG failed"
    fi
    dpkg -x "$VMDIR"/dl/"$KPKG"_*.deb "$KDIR"
    depmod -b "$KDIR" "$KVER"
    touch "$KDIR/.complete"
    rm -rf "$VMDIR/dl"
    # Drop other cached kernel versions.
    for d in "$VMDIR"/kernel/*; do [ "$d" = "$KDIR" ] || rm -rf "$d"; done
else
    step "kernel $KVER from cache"
fi
VMLINUZ="$KDIR/boot/vmlinuz-$KVER"
[ -f "$VMLINUZ" ] || die "no kernel image at $VMLINUZ"

# Modules for vivid and snd-aloop in dependency order (each one once).
MODS=()
while read -r verb path _; do
    [ "$verb" = insmod ] || continue
    seen=0; for m in "${MODS[@]}"; do [ "$m" = "$path" ] && seen=1; done
    [ $seen -eq 1 ] || MODS+=("$path")
done < <(for m in "${MODULES[@]}"; do modprobe -d "$KDIR" -S "$KVER" --show-depends "$m"; done)
[ ${#MODS[@]} -gt 0 ] || die "modprobe --show-depends found no modules for ${MODULES[*]}"

# ---------------------------------------------------------------------------------------------------
# 3. Host-built static helper (tone generator, substring finder, frequency estimate)
# ---------------------------------------------------------------------------------------------------
HELPER_SRC="$VMDIR/vmlane-audio.c"
HELPER="$VMDIR/vmlane-audio"
cat > "$HELPER_SRC.new" <<'EOF'
/* vmlane-audio: gen FREQ SECONDS OUT  (48 kHz stereo S16_LE, slowly varying amplitude so data is unique)
 *               find NEEDLE HAYSTACK  (all bytes of NEEDLE found in HAYSTACK? prints offset)
 *               freq FILE             (estimated frequency of the non-silent part, left channel) */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
static unsigned char *slurp(const char *p, size_t *n) {
    FILE *f = fopen(p, "rb"); if (!f) { perror(p); exit(2); }
    fseek(f, 0, SEEK_END); long l = ftell(f); fseek(f, 0, SEEK_SET);
    unsigned char *b = malloc(l ? l : 1); *n = fread(b, 1, l, f); fclose(f); return b;
}
int main(int argc, char **argv) {
    if (argc == 5 && !strcmp(argv[1], "gen")) {
        double hz = atof(argv[2]), secs = atof(argv[3]); long n = (long)(secs * 48000);
        FILE *f = fopen(argv[4], "wb"); if (!f) { perror(argv[4]); return 2; }
        for (long i = 0; i < n; i++) {
            double a = 6000 + 6000.0 * i / n;                 /* 6000 -> 12000 ramp */
            short s = (short)lrint(a * sin(2 * M_PI * hz * i / 48000.0));
            short fr[2] = { s, s }; fwrite(fr, sizeof fr, 1, f);
        }
        fclose(f); printf("gen: %ld frames of %.0f Hz\n", n, hz); return 0;
    }
    if (argc == 4 && !strcmp(argv[1], "find")) {
        size_t nn, nh; unsigned char *n = slurp(argv[2], &nn), *h = slurp(argv[3], &nh);
        unsigned char *p = nn ? memmem(h, nh, n, nn) : NULL;
        if (p) { printf("find: all %zu bytes of %s found in %s (%zu bytes) at offset %ld\n", nn, argv[2], argv[3], nh, (long)(p - h)); return 0; }
        printf("find: %s (%zu bytes) NOT found in %s (%zu bytes)\n", argv[2], nn, argv[3], nh); return 1;
    }
    if (argc == 3 && !strcmp(argv[1], "freq")) {
        size_t nb; unsigned char *b = slurp(argv[2], &nb); short *s = (short *)b; long frames = nb / 4;
        /* non-silent runs: loud samples (|x| > 1000) closer than 1 ms to each other; measure the longest */
        long first = -1, last = -1, bf = -1, bl = -1, runs = 0, cross = 0, fc = -1, lc = -1;
        for (long i = 0; i <= frames; i++) {
            int loud = i < frames && abs(s[2 * i]) > 1000;
            if (loud && first >= 0 && i - last > 48) {        /* gap: close the run */
                runs++; if (last - first > bl - bf) { bf = first; bl = last; } first = -1;
            }
            if (loud) { if (first < 0) first = i; last = i; }
            if (i == frames && first >= 0) { runs++; if (last - first > bl - bf) { bf = first; bl = last; } }
        }
        if (bf < 0) { printf("freq: silence\n"); return 1; }
        for (long i = bf + 1; i <= bl; i++)
            if (s[2 * (i - 1)] < 0 && s[2 * i] >= 0) { if (fc < 0) fc = i; lc = i; cross++; }
        if (cross < 2) { printf("freq: no periodic signal\n"); return 1; }
        double hz = (cross - 1) * 48000.0 / (lc - fc);
        printf("freq: %.1f Hz over %.3f s of signal at %.3f s (longest of %ld non-silent runs)\n",
               hz, (bl - bf + 1) / 48000.0, bf / 48000.0, runs);
        return 0;
    }
    fprintf(stderr, "usage: vmlane-audio gen HZ SECS OUT | find NEEDLE HAYSTACK | freq FILE\n"); return 2;
}
EOF
if [ ! -x "$HELPER" ] || ! cmp -s "$HELPER_SRC.new" "$HELPER_SRC"; then
    mv "$HELPER_SRC.new" "$HELPER_SRC"
    gcc -O2 -Wall -static -o "$HELPER" "$HELPER_SRC" -lm || die "cannot build the static helper"
else
    rm -f "$HELPER_SRC.new"
fi

# ---------------------------------------------------------------------------------------------------
# 4. initramfs
# ---------------------------------------------------------------------------------------------------
# One folder per run, so concurrent runs in one checkout do not collide; removed at exit unless --keep.
RUN="$(mktemp -d "$VMDIR/run.XXXXXX")"
R="$RUN/root"
QPID=""
cleanup() {
    if [ -n "$QPID" ]; then kill "$QPID" 2>/dev/null || true; fi
    if [ -f "$RUN/console.log.txt" ]; then cp "$RUN/console.log.txt" "$VMDIR/last-console.log"; fi
    if [ $KEEP -eq 0 ]; then rm -rf "$RUN"; else echo "vm-lane: kept $RUN" >&2; fi
}
trap cleanup EXIT
mkdir -p "$R"/{bin,sbin,proc,sys,dev,tmp,etc,usr/lib,usr/lib64,mods,payload,data}
ln -s usr/lib "$R/lib"; ln -s usr/lib64 "$R/lib64"      # merged /usr like the host: one copy of each library
step "building the initramfs"
cp /bin/busybox "$R/bin/busybox"
cp "$HELPER" "$R/bin/vmlane-audio"

# copy_path SRC [DEST]: copy a file following symlinks, keeping its path (also the symlink's own name).
copy_path() {
    local src="$1" dest="${2:-$1}"
    [ -e "$R$dest" ] && return 0
    mkdir -p "$R$(dirname "$dest")"
    cp -L "$src" "$R$dest"
}
# copy_libs ELF: every library ldd lists for ELF, under the same path (and the resolved real file's name).
copy_libs() {
    local lib
    for lib in $(ldd "$1" 2>/dev/null | awk '/=> \// { print $3 } /^[ \t]*\// { print $1 }'); do
        copy_path "$lib"
    done
}
add_bin() {   # add_bin SRC: /bin/<name>, debug info stripped (smaller initrd, faster boot), + libs
    local dest="/bin/$(basename "$1")"
    if command -v strip >/dev/null; then
        # .swift_ast is only for the debugger (23 MB of a debug webex); the binary runs the same without it.
        strip --strip-debug --remove-section=.swift_ast -o "$R$dest" "$1" 2>/dev/null || cp -L "$1" "$R$dest"
    else
        cp -L "$1" "$R$dest"
    fi
    chmod +x "$R$dest"
    copy_libs "$1"
}
add_lib() {
    copy_path "$1"; copy_libs "$1"
    # Keep the soname link name too (e.g. libasound.so.2 -> libasound.so.2.0.0).
    if [ -L "$1" ]; then copy_path "$(readlink -f "$1")"; fi
}

for t in aplay arecord v4l2-ctl; do add_bin "$(command -v "$t")"; done
mkdir -p "$R/usr/share"; cp -a /usr/share/alsa "$R/usr/share/alsa"

# dlopen'ed by our engine: libasound, libv4l2 (+ its plugins), libsrtp2, when present on the host.
MULTI=/usr/lib/x86_64-linux-gnu
for l in "$MULTI/libasound.so.2" "$MULTI/libv4l2.so.0" "$MULTI/libv4lconvert.so.0" "$MULTI/libsrtp2.so.1" \
         "$MULTI"/libv4l/plugins/*.so; do
    if [ -e "$l" ]; then add_lib "$l"; fi
done
# libsrtp2 is built on NSS, which dlopens its crypto module (softokn3, freebl) and checks their .chk files.
for l in "$MULTI/libsoftokn3.so" "$MULTI/libfreebl3.so" "$MULTI/libfreeblpriv3.so"; do
    if [ -e "$l" ]; then add_lib "$l"; fi
done
for c in "$MULTI"/libsoftokn3.chk "$MULTI"/libfreebl3.chk "$MULTI"/libfreeblpriv3.chk; do
    if [ -e "$c" ]; then mkdir -p "$R$MULTI"; cp -a "$c" "$R$c"; fi
done
for l in "${LIBS[@]}"; do add_lib "$l"; done

WEBEX="$ROOT/.build/debug/webex"
if [ $WITH_WEBEX -eq 1 ] && [ -x "$WEBEX" ]; then add_bin "$WEBEX"; fi
for b in "${BINS[@]}"; do add_bin "$b"; done
for f in "${FILES[@]}"; do
    src="${f%%:*}"; dest="${f#*:}"; [ "$dest" = "$f" ] && dest="/data/$(basename "$src")"
    [ -e "$src" ] || die "no such file: $src"
    mkdir -p "$R$(dirname "$dest")"; cp -a "$src" "$R$dest"
done

: > "$R/mods.order"
for m in "${MODS[@]}"; do
    name="$(basename "$m")"
    case "$name" in
        *.ko.xz) xz -dc "$m" > "$R/mods/${name%.xz}"; name="${name%.xz}" ;;
        *.ko.zst) zstd -qdc "$m" > "$R/mods/${name%.zst}"; name="${name%.zst}" ;;
        *) cp "$m" "$R/mods/$name" ;;
    esac
    echo "/mods/$name" >> "$R/mods.order"
done

i=0
for p in "${PAYLOADS[@]}"; do i=$((i + 1)); cp "$p" "$R/payload/$(printf '%02d' $i)-$(basename "$p")"; done
echo "$DEFAULT_CHECKS" > "$R/default-checks"

cat > "$R/lib/vm-lane.sh" <<'EOF'
# Helpers for payloads (busybox sh). Failures go to /tmp/vm-lane.failed so subshells count too.
export PATH=/bin:/sbin:/usr/bin HOME=/tmp LANG=C.UTF-8
note() { echo "NOTE $*"; }
fail() { echo "CHECK FAIL $1${2:+ ($2)}"; echo "$1" >> /tmp/vm-lane.failed; }
check() {
    local name="$1"; shift
    if "$@"; then echo "CHECK PASS $name"; else fail "$name" "exit $?"; fi
}
uptime_s() { cut -d' ' -f1 /proc/uptime; }
elapsed_ok() { awk -v a="$1" -v b="$2" -v lo="$3" -v hi="$4" 'BEGIN { d = b - a; exit !(d >= lo && d <= hi) }'; }
EOF

cat > "$R/lib/default-checks.sh" <<'EOF'
# Default checks with the stock tools: vivid camera frames, snd-aloop tone round trip with real-time pacing.
. /lib/vm-lane.sh
check "vivid is /dev/video0" sh -c 'test -c /dev/video0 && v4l2-ctl -d /dev/video0 --info | grep -q "Driver name *: vivid"'
v4l2-ctl -d /dev/video0 --info | grep -E 'Driver name|Card type' | head -n 2

t0=$(uptime_s)
v4l2-ctl -d /dev/video0 --set-fmt-video=width=640,height=360,pixelformat=YUYV --set-parm=30 \
    --stream-mmap --stream-count=30 --stream-to=/tmp/frames.yuyv 2>/tmp/v4l2.err
rc=$?; t1=$(uptime_s)
fmt=$(v4l2-ctl -d /dev/video0 --get-fmt-video | sed -n 's/.*Width\/Height *: //p')
bytes=$(wc -c < /tmp/frames.yuyv 2>/dev/null || echo 0)
note "v4l2-ctl: rc=$rc format=$fmt bytes=$bytes ($((bytes / 460800)) frames of 460800) in $(awk -v a=$t0 -v b=$t1 'BEGIN{printf "%.2f", b-a}') s"
check "vivid 640x360 YUYV" test "$fmt" = "640/360"
check "vivid delivers 30 frames (mmap)" test "$rc" -eq 0 -a "$bytes" -eq $((30 * 460800))
rm -f /tmp/frames.yuyv

check "snd-aloop card present" grep -q Loopback /proc/asound/cards
sed 's/^/  /' /proc/asound/cards
vmlane-audio gen 1000 1 /tmp/tone.raw
t0=$(uptime_s)
arecord -q -D hw:Loopback,1,0 -f S16_LE -c 2 -r 48000 -t raw -s 96000 /tmp/cap.raw &
rec=$!
sleep 0.3
aplay -q -D hw:Loopback,0,0 -f S16_LE -c 2 -r 48000 -t raw /tmp/tone.raw; prc=$?
wait $rec; rrc=$?; t1=$(uptime_s)
note "aplay rc=$prc, arecord rc=$rrc: 2 s of capture took $(awk -v a=$t0 -v b=$t1 'BEGIN{printf "%.2f", b-a}') s real time, $(wc -c < /tmp/cap.raw) bytes"
check "tone played and captured" test "$prc" -eq 0 -a "$rrc" -eq 0
check "captured bytes contain the played tone" vmlane-audio find /tmp/tone.raw /tmp/cap.raw
vmlane-audio freq /tmp/cap.raw > /tmp/freq.txt; cat /tmp/freq.txt
check "captured tone is 1 kHz for 1 s" awk '/^freq: [0-9]/ { ok = ($2 > 990 && $2 < 1010 && $5 > 0.95 && $5 < 1.05) } END { exit !ok }' /tmp/freq.txt
check "capture paced in real time (2 s of audio in 1.8-3.0 s)" elapsed_ok "$t0" "$t1" 1.8 3.0
rm -f /tmp/cap.raw

if [ -x /bin/webex ]; then
    t0=$(uptime_s); v=$(webex --version 2>&1); rc=$?; t1=$(uptime_s)
    note "webex --version -> $v (exit $rc, $(awk -v a=$t0 -v b=$t1 'BEGIN{printf "%.2f", b-a}') s)"
    check "our Swift binary runs (webex --version)" test "$rc" -eq 0
fi
EOF

cat > "$R/init" <<'EOF'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev; mount -t tmpfs tmp /tmp
echo 1 > /proc/sys/kernel/printk
. /lib/vm-lane.sh
: > /tmp/vm-lane.failed
echo "===== VM-LANE PAYLOAD BEGIN ($(uname -r), $(nproc) CPU, booted in $(uptime_s) s) ====="
for m in $(cat /mods.order); do insmod "$m" || fail "insmod $m"; done
note "loaded $(wc -l < /mods.order) modules"
for i in 1 2 3 4 5 6 7 8 9 10; do [ -c /dev/video0 ] && [ -e /dev/snd/pcmC0D0p ] && break; sleep 0.2; done
if [ "$(cat /default-checks)" = 1 ]; then (sh /lib/default-checks.sh) || fail "default checks" "exit $?"; fi
for p in /payload/*; do
    [ -f "$p" ] || continue
    echo "----- payload $(basename "$p") -----"
    (cd /tmp && . "$p") || fail "payload $(basename "$p")" "exit $?"
done
echo "===== VM-LANE PAYLOAD END (at $(uptime_s) s) ====="
if [ -s /tmp/vm-lane.failed ]; then
    echo "VM-LANE: FAIL ($(wc -l < /tmp/vm-lane.failed) failed: $(tr '\n' ';' < /tmp/vm-lane.failed))"
else
    echo "VM-LANE: PASS"
fi
sync; poweroff -f
EOF
chmod +x "$R/init"
# Uncompressed: the kernel unpacks it much faster under TCG than a gzip one, and the host skips gzip.
(cd "$R" && find . | cpio -o -H newc --quiet > "$RUN/initrd.cpio")
step "initramfs: $(du -h "$RUN/initrd.cpio" | cut -f1), ${#MODS[@]} modules, kernel $KVER ($(since "$T0") s so far)"

# ---------------------------------------------------------------------------------------------------
# 5. Boot (TCG; KVM does not work on these hosts) with a host-side time bound
# ---------------------------------------------------------------------------------------------------
LOG="$RUN/console.log"
step "booting the VM (TCG, timeout ${TIMEOUT}s)"
TB=$(date +%s.%N)
set +e
timeout -k 5 "$TIMEOUT" qemu-system-x86_64 -accel tcg,thread=multi -cpu max -m 2048 -smp 2 \
    -display none -monitor none -serial stdio -no-reboot \
    -kernel "$VMLINUZ" -initrd "$RUN/initrd.cpio" \
    -append "console=ttyS0 quiet loglevel=1 panic=-1" < /dev/null > "$LOG" 2>&1 &
QPID=$!
wait "$QPID"; qrc=$?
QPID=""
set -e
VM_S=$(since "$TB")
tr -d '\r' < "$LOG" > "$LOG.txt"
if [ $VERBOSE -eq 1 ]; then cat "$LOG.txt"; else
    sed -n '/===== VM-LANE PAYLOAD BEGIN/,/===== VM-LANE PAYLOAD END/p' "$LOG.txt"
fi
verdict="$(grep -a '^VM-LANE: ' "$LOG.txt" | tail -n1 || true)"
[ -n "$verdict" ] && echo "$verdict"
echo "vm-lane: VM ran ${VM_S} s, whole run $(since "$T0") s (console log: ${VMDIR#$ROOT/}/last-console.log)" >&2
if [ $qrc -eq 124 ] || [ $qrc -eq 137 ]; then
    echo "vm-lane: TIMEOUT after ${TIMEOUT}s: qemu was killed; last console lines:" >&2
    tail -n 15 "$LOG.txt" >&2
    exit 124
fi
case "$verdict" in
    "VM-LANE: PASS") exit 0 ;;
    "") echo "vm-lane: no verdict line (qemu exit $qrc); last console lines:" >&2; tail -n 15 "$LOG.txt" >&2; exit 1 ;;
    *) exit 1 ;;
esac
