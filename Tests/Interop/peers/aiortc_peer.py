"""aiortc (a third-party WebRTC implementation) as the far end of `webex media call`.

It sends a sine tone and a test-pattern video, receives what the other side sends, and measures it:
the dominant frequency of the audio it decoded and the frames (and their sizes) it decoded.

Used by test_media_aiortc.py; also runnable by hand:
    python aiortc_peer.py --role answer --offer-in offer.sdp --answer-out answer.sdp --duration 10
    python aiortc_peer.py --role offer --offer-out offer.sdp --answer-in answer.sdp --codec h264
The summary is one JSON object on stdout.
"""
import argparse
import asyncio
import fractions
import json
import math
import os
import resource
import struct
import sys
import time

import aioice.ice
import av
from aiortc import (
    RTCBundlePolicy,
    RTCConfiguration,
    RTCIceServer,
    RTCPeerConnection,
    RTCRtpSender,
    RTCSessionDescription,
)
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack

# Network traffic stays on loopback: aiortc gathers host candidates on 127.0.0.1 only.
aioice.ice.get_host_addresses = lambda use_ipv4, use_ipv6: ["127.0.0.1"]

SAMPLE_RATE = 48000
FRAME_SAMPLES = 960  # 20 ms


class ToneTrack(MediaStreamTrack):
    """A mono 16-bit sine at `frequency`, paced in real time, 20 ms per frame."""

    kind = "audio"

    def __init__(self, frequency):
        super().__init__()
        self.frequency = frequency
        self.sent = 0
        self._start = None
        # One period-exact buffer would need an integer number of cycles; compute each frame instead.

    async def recv(self):
        if self._start is None:
            self._start = time.monotonic()
        due = self._start + self.sent * FRAME_SAMPLES / SAMPLE_RATE
        delay = due - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        base = self.sent * FRAME_SAMPLES
        w = 2 * math.pi * self.frequency / SAMPLE_RATE
        pcm = struct.pack(
            "<%dh" % FRAME_SAMPLES,
            *(int(9830 * math.sin(w * (base + i))) for i in range(FRAME_SAMPLES)),
        )
        frame = av.AudioFrame(format="s16", layout="mono", samples=FRAME_SAMPLES)
        frame.planes[0].update(pcm)
        frame.sample_rate = SAMPLE_RATE
        frame.pts = base
        frame.time_base = fractions.Fraction(1, SAMPLE_RATE)
        self.sent += 1
        return frame


class PatternTrack(MediaStreamTrack):
    """Moving luma bars at width x height, `fps` frames per second."""

    kind = "video"

    def __init__(self, width, height, fps):
        super().__init__()
        self.width, self.height, self.fps = width, height, fps
        self.sent = 0
        self._start = None
        row = bytes((x * 255 // max(1, width - 1)) for x in range(width))
        self._luma_rows = row * 2  # rotate by slicing a doubled row
        self._chroma = bytes([128]) * ((width // 2) * (height // 2))

    async def recv(self):
        if self._start is None:
            self._start = time.monotonic()
        due = self._start + self.sent / self.fps
        delay = due - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        shift = (self.sent * 4) % self.width
        row = self._luma_rows[shift:shift + self.width]
        frame = av.VideoFrame(self.width, self.height, "yuv420p")
        frame.planes[0].update(row * self.height) if frame.planes[0].line_size == self.width else \
            _fill_plane(frame.planes[0], [row] * self.height)
        _fill_plane(frame.planes[1], [self._chroma[: self.width // 2]] * (self.height // 2))
        _fill_plane(frame.planes[2], [self._chroma[: self.width // 2]] * (self.height // 2))
        frame.pts = int(self.sent * 90000 / self.fps)
        frame.time_base = fractions.Fraction(1, 90000)
        self.sent += 1
        return frame


class WebexPatternTrack(PatternTrack):
    """The same frames as webex's TestPatternSource (colour bars moving 4 px per frame, the frame counter
    in a band of 32 cells across the top), so a benchmark can compare encoders on identical input."""

    BARS = [(235, 128, 128), (210, 16, 146), (170, 166, 16), (145, 54, 34),
            (106, 202, 222), (81, 90, 240), (41, 240, 110), (90, 128, 128)]

    def __init__(self, width, height, fps):
        super().__init__(width, height, fps)
        cw = width // 2
        seg = max(1, cw // len(self.BARS))
        y, u, v = bytearray(4 * cw), bytearray(2 * cw), bytearray(2 * cw)
        for cx in range(2 * cw):
            bar = self.BARS[(cx % cw) * len(self.BARS) // cw]
            ramp = (cx % seg) * 24 // seg
            y[2 * cx] = y[2 * cx + 1] = (bar[0] - min(bar[0] - 16, ramp)) & 0xFF
            u[cx], v[cx] = bar[1], bar[2]
        self._y, self._u, self._v = bytes(y), bytes(u), bytes(v)

    @staticmethod
    def _crc8(value):
        crc = 0
        for byte in ((value >> 16) & 0xFF, (value >> 8) & 0xFF, value & 0xFF):
            crc ^= byte
            for _ in range(8):
                crc = ((crc << 1) ^ 0x07) & 0xFF if crc & 0x80 else (crc << 1) & 0xFF
        return crc ^ 0x5A

    async def recv(self):
        if self._start is None:
            self._start = time.monotonic()
        due = self._start + self.sent / self.fps
        delay = due - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        w, h, n = self.width, self.height, self.sent
        cw, ch = w // 2, h // 2
        shift = (n * 2) % cw
        yrow = self._y[shift * 2:shift * 2 + w]
        urow, vrow = self._u[shift:shift + cw], self._v[shift:shift + cw]
        c = w // 32
        band, chroma_rows = 0, 0
        if c >= 4 and h >= 2 * c:
            value = n & 0xFFFFFF
            crc = self._crc8(value)
            bits = [(value >> (23 - i)) & 1 for i in range(24)] + [(crc >> (7 - i)) & 1 for i in range(8)]
            band_row = b"".join((b"\xeb" if bit else b"\x10") * c for bit in bits) + b"\x10" * (w - 32 * c)
            band, chroma_rows = c, min(ch, (c + 1) // 2)
            ydata = band_row * band + yrow * (h - band)
        else:
            ydata = yrow * h
        grey = b"\x80" * cw
        udata = grey * chroma_rows + urow * (ch - chroma_rows)
        vdata = grey * chroma_rows + vrow * (ch - chroma_rows)
        frame = av.VideoFrame(w, h, "yuv420p")
        for plane, data, pw, ph in ((frame.planes[0], ydata, w, h), (frame.planes[1], udata, cw, ch),
                                    (frame.planes[2], vdata, cw, ch)):
            if plane.line_size == pw:
                plane.update(data)
            else:
                _fill_plane(plane, [data[r * pw:(r + 1) * pw] for r in range(ph)])
        frame.pts = int(n * 90000 / self.fps)
        frame.time_base = fractions.Fraction(1, 90000)
        self.sent += 1
        return frame


def cpu_seconds():
    """CPU time of this process, every thread (the encoders run in a thread pool), user + system."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _fill_plane(plane, rows):
    stride = plane.line_size
    data = b"".join(r + bytes(stride - len(r)) for r in rows)
    plane.update(data)


def zero_crossing_frequency(samples, rate):
    """Frequency from upward zero crossings with linear interpolation (a clean tone gives < 0.1 Hz error)."""
    crossings = []
    for i in range(1, len(samples)):
        a, b = samples[i - 1], samples[i]
        if a < 0 <= b:
            crossings.append(i - 1 + (-a) / (b - a))
    if len(crossings) < 3:
        return 0.0
    return (len(crossings) - 1) * rate / (crossings[-1] - crossings[0])


def dominant_frequency(samples, rate):
    """The median of 100 ms estimates, so a concealed lost packet or a click does not move it."""
    window = rate // 10
    estimates = sorted(
        f for f in (zero_crossing_frequency(samples[i:i + window], rate) for i in range(0, len(samples) - window + 1, window))
        if f > 0
    )
    if not estimates:
        return zero_crossing_frequency(samples, rate)
    mid = len(estimates) // 2
    return estimates[mid] if len(estimates) % 2 else (estimates[mid - 1] + estimates[mid]) / 2


class Receiver:
    def __init__(self):
        self.audio_samples = []
        self.audio_frames = 0
        self.video_frames = 0
        self.video_sizes = {}
        self.first_audio = None

    async def consume(self, track):
        try:
            while True:
                frame = await track.recv()
                if track.kind == "audio":
                    self.audio_frames += 1
                    # aiortc decodes Opus to s16 (interleaved) at 48 kHz; keep channel 0.
                    channels = len(frame.layout.channels)
                    raw = bytes(frame.planes[0])
                    count = frame.samples * channels
                    values = struct.unpack("<%dh" % count, raw[: count * 2])
                    self.audio_samples.extend(values[::channels])
                else:
                    self.video_frames += 1
                    key = "%dx%d" % (frame.width, frame.height)
                    self.video_sizes[key] = self.video_sizes.get(key, 0) + 1
        except MediaStreamError:
            pass


def read_sdp(path, timeout):
    if path == "-":
        lines = []
        for line in sys.stdin:
            if not line.strip():
                break
            lines.append(line.rstrip("\r\n"))
        return "\r\n".join(lines) + "\r\n"
    deadline = time.monotonic() + timeout
    while not os.path.exists(path):
        if time.monotonic() > deadline:
            raise SystemExit("timed out waiting for %s" % path)
        time.sleep(0.05)
    with open(path) as f:
        return f.read()


def write_sdp(path, sdp):
    if path == "-":
        sys.stdout.write(sdp.rstrip("\r\n") + "\n\n")
        sys.stdout.flush()
        return
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(sdp)
    os.replace(tmp, path)


def prefer_codec(transceiver, name):
    caps = RTCRtpSender.getCapabilities("video")
    wanted = [c for c in caps.codecs if c.mimeType.lower() == "video/" + name.lower()]
    rtx = [c for c in caps.codecs if c.mimeType.lower() == "video/rtx"]
    transceiver.setCodecPreferences(wanted + rtx)


def tamper_fingerprint(sdp):
    out = []
    for line in sdp.splitlines():
        if line.startswith("a=fingerprint:"):
            alg, value = line[len("a=fingerprint:"):].split(" ", 1)
            first = value[:2]
            value = ("00" if first != "00" else "11") + value[2:]
            line = "a=fingerprint:%s %s" % (alg, value)
        out.append(line)
    return "\r\n".join(out) + "\r\n"


async def run(args):
    servers = []
    if args.turn:
        servers.append(RTCIceServer(urls=[args.turn], username=args.turn_user, credential=args.turn_password))
    pc = RTCPeerConnection(RTCConfiguration(iceServers=servers, bundlePolicy=RTCBundlePolicy.MAX_BUNDLE))
    if args.video_bitrate:
        # aiortc's encoders start at their module's DEFAULT_BITRATE (VP8 500, H.264 1000 kbit/s).
        import aiortc.codecs.h264 as h264_codec
        import aiortc.codecs.vpx as vpx_codec
        for module in (h264_codec, vpx_codec):
            module.DEFAULT_BITRATE = args.video_bitrate * 1000
    tone = ToneTrack(args.tone)
    width, height = (int(v) for v in args.size.split("x"))
    pattern = (WebexPatternTrack if args.pattern == "webex" else PatternTrack)(width, height, args.fps)
    cpu = {}
    receiver = Receiver()
    consumers = []
    state = {"dtls": None}

    @pc.on("track")
    def on_track(track):
        consumers.append(asyncio.ensure_future(receiver.consume(track)))

    @pc.on("connectionstatechange")
    async def on_state():
        state["dtls"] = pc.connectionState
        if pc.connectionState == "connected" and "connected" not in cpu:
            cpu["connected"] = {"cpu": cpu_seconds(), "frames": pattern.sent, "t": time.monotonic()}

    if args.role == "offer":
        if not args.no_audio:
            pc.addTransceiver(tone, direction="sendrecv")
        video = pc.addTransceiver(pattern, direction="sendrecv")
        prefer_codec(video, args.codec)
        await pc.setLocalDescription(await pc.createOffer())
        local = pc.localDescription.sdp
        write_sdp(args.offer_out, tamper_fingerprint(local) if args.tamper else local)
        answer = read_sdp(args.answer_in, args.wait)
        await pc.setRemoteDescription(RTCSessionDescription(answer, "answer"))
    else:
        offer = read_sdp(args.offer_in, args.wait)
        await pc.setRemoteDescription(RTCSessionDescription(offer, "offer"))
        have = set()
        for t in pc.getTransceivers():
            # The first audio and the first video m-line carry our tone and pattern; a second video
            # (content share) stays receive-only.
            if t.kind in have:
                continue
            have.add(t.kind)
            if t.kind == "audio" and args.no_audio:
                t.direction = "recvonly"
                continue
            t.sender.replaceTrack(tone if t.kind == "audio" else pattern)
            t.direction = "sendrecv"
        await pc.setLocalDescription(await pc.createAnswer())
        local = pc.localDescription.sdp
        write_sdp(args.answer_out, tamper_fingerprint(local) if args.tamper else local)

    start = time.monotonic()
    while time.monotonic() - start < args.duration:
        await asyncio.sleep(0.1)
        if pc.connectionState in ("failed", "closed"):
            break
        # The other side said goodbye (RTCP BYE ends aiortc's remote tracks): stop sending too.
        if consumers and all(c.done() for c in consumers):
            break
    cpu["end"] = {"cpu": cpu_seconds(), "frames": pattern.sent, "t": time.monotonic()}
    await pc.close()
    for c in consumers:
        c.cancel()
    samples = receiver.audio_samples[SAMPLE_RATE // 2:]  # skip the first half second (jitter buffer start)
    summary = {
        "connectionState": state["dtls"],
        "sent": {"audioFrames": tone.sent, "videoFrames": pattern.sent, "videoSize": args.size},
        "received": {
            "audioFrames": receiver.audio_frames,
            "audioSeconds": round(len(receiver.audio_samples) / SAMPLE_RATE, 2),
            "frequencyHz": round(dominant_frequency(samples, SAMPLE_RATE), 2),
            "videoFrames": receiver.video_frames,
            "videoSizes": receiver.video_sizes,
        },
    }
    print(json.dumps(summary), flush=True)
    if args.cpu_out:
        cpu["exit"] = {"cpu": cpu_seconds()}
        with open(args.cpu_out, "w") as f:
            json.dump(cpu, f)


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--role", choices=["offer", "answer"], required=True)
    p.add_argument("--offer-out")
    p.add_argument("--offer-in")
    p.add_argument("--answer-out")
    p.add_argument("--answer-in")
    p.add_argument("--codec", default="vp8", choices=["vp8", "h264"])
    p.add_argument("--tone", type=float, default=440.0)
    p.add_argument("--size", default="640x360")
    p.add_argument("--fps", type=int, default=30)
    p.add_argument("--duration", type=float, default=10.0)
    p.add_argument("--wait", type=float, default=60.0)
    p.add_argument("--turn")
    p.add_argument("--turn-user")
    p.add_argument("--turn-password")
    p.add_argument("--no-audio", action="store_true", help="send no audio (offer: no audio m-line)")
    p.add_argument("--pattern", default="bars", choices=["bars", "webex"],
                   help="bars: luma ramp (default); webex: the same frames as webex's test pattern")
    p.add_argument("--video-bitrate", type=int, help="start the video encoder at this many kbit/s")
    p.add_argument("--cpu-out", help="write this process's CPU time at connect, end of sending and exit (JSON)")
    p.add_argument("--tamper", action="store_true", help="corrupt our fingerprint in the SDP we hand out")
    args = p.parse_args()
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
