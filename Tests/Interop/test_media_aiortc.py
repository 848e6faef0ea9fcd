"""`webex media call` against aiortc, a WebRTC implementation nobody here wrote (issue #6's acceptance).

Both ways round (we offer / aiortc offers), for VP8 and for H.264: aiortc must measure our 440 Hz tone within
5 Hz and decode at least 90 % of our video frames at the size we sent; we must measure aiortc's 660 Hz tone and
decode its frames likewise. Then the same through a TURN relay (coturn, started here on loopback) with only
relayed candidates on our side, and a tampered DTLS fingerprint that must stop the call before any media.

Needs the debug build (.build/debug/webex), aiortc in the venv and coturn's `turnserver`; run by scripts/test.sh.
All traffic stays on 127.0.0.1.
"""
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WEBEX = os.path.join(ROOT, ".build", "debug", "webex")
PEER = os.path.join(ROOT, "Tests", "Interop", "peers", "aiortc_peer.py")
DURATION = 10
OUR_TONE = 440.0
THEIR_TONE = 660.0


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Call:
    """One call: our binary and the aiortc peer as two processes exchanging SDP through files."""

    def __init__(self, we_offer, codec, extra=(), env=None, peer_extra=(), duration=DURATION):
        self.dir = tempfile.mkdtemp(prefix="webex-media-")
        offer = os.path.join(self.dir, "offer.sdp")
        answer = os.path.join(self.dir, "answer.sdp")
        record = os.path.join(self.dir, "record")
        ours = [WEBEX, "media", "call", "--bind", "127.0.0.1", "--codec", codec, "--audio", "tone:%g" % OUR_TONE,
                "--video", "pattern:640x360@30", "--duration", str(duration), "--record", record, "--wait", "60"]
        theirs = [sys.executable, PEER, "--codec", codec, "--tone", str(THEIR_TONE), "--size", "640x360",
                  "--duration", str(duration + 8), "--wait", "60"]
        if we_offer:
            ours += ["--offer-out", offer, "--answer-in", answer]
            theirs += ["--role", "answer", "--offer-in", offer, "--answer-out", answer]
        else:
            ours += ["--offer-in", offer, "--answer-out", answer]
            theirs += ["--role", "offer", "--offer-out", offer, "--answer-in", answer]
        self.record = record
        full_env = dict(os.environ)
        full_env.update(env or {})
        self.peer = subprocess.Popen(theirs + list(peer_extra), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.ours = subprocess.Popen(ours + list(extra), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                     env=full_env, stdin=subprocess.DEVNULL)

    def finish(self, timeout=90):
        try:
            out, err = self.ours.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.ours.kill()
            out, err = self.ours.communicate()
        try:
            pout, perr = self.peer.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.peer.kill()
            pout, perr = self.peer.communicate()
        self.status = self.ours.returncode
        self.stderr = err
        self.peer_stderr = perr
        self.summary = json.loads(out) if out.strip() else None
        self.peer_summary = json.loads(pout.strip().splitlines()[-1]) if pout.strip() else None
        return self

    def cleanup(self):
        shutil.rmtree(self.dir, ignore_errors=True)


class MediaInterop(unittest.TestCase):
    def run_call(self, we_offer, codec, extra=(), env=None):
        call = Call(we_offer, codec, extra, env).finish()
        self.addCleanup(call.cleanup)
        self.assertEqual(call.status, 0, "webex media call failed:\n%s\naiortc:\n%s" % (call.stderr, call.peer_stderr[-3000:]))
        self.assertIsNotNone(call.summary, call.stderr)
        self.assertIsNotNone(call.peer_summary, call.peer_stderr[-3000:])
        ours, theirs = call.summary, call.peer_summary
        streams = {s["kind"]: s for s in ours["streams"] if s["mid"] in ("0", "1")}
        audio, video = streams["audio"], streams["video"]
        self.assertEqual(video["codec"].split("/")[0], codec.upper())
        self.assertEqual(audio["codec"].split("/")[0].lower(), "opus")
        detail = json.dumps({"ours": ours, "aiortc": theirs}, indent=1)

        # aiortc hears our tone and sees our frames at the size we sent.
        self.assertAlmostEqual(theirs["received"]["frequencyHz"], OUR_TONE, delta=5, msg=detail)
        sent_frames = video["sent"]["frames"]
        self.assertGreaterEqual(sent_frames, DURATION * 30 * 0.8, detail)
        self.assertGreaterEqual(theirs["received"]["videoSizes"].get("640x360", 0), 0.9 * sent_frames, detail)

        # We hear aiortc's tone and decode its frames at the size it sent.
        self.assertAlmostEqual(audio["received"]["frequencyHz"], THEIR_TONE, delta=5, msg=detail)
        self.assertGreaterEqual(video["received"]["framesDecoded"], 0.9 * theirs["sent"]["videoFrames"], detail)
        self.assertEqual((video["received"]["width"], video["received"]["height"]), (640, 360), detail)
        self.assertGreater(audio["received"]["packets"], DURATION * 50 * 0.8, detail)

        # Encrypted with a DTLS-negotiated SRTP profile, and the recordings exist.
        self.assertIn(ours["connection"]["srtpProfile"], ("AEAD_AES_128_GCM", "AES_CM_128_HMAC_SHA1_80"))
        self.assertTrue(os.path.getsize(os.path.join(call.record, "audio-0.wav")) > 48000 * 2 * 5, detail)
        self.assertTrue(os.path.getsize(os.path.join(call.record, "video-1.ivf")) > 10000, detail)
        return call

    def test_we_offer_vp8(self):
        call = self.run_call(True, "vp8")
        self.assertEqual(call.summary["connection"]["iceRole"], "controlling")

    def test_we_offer_h264(self):
        self.run_call(True, "h264")

    def test_aiortc_offers_vp8(self):
        call = self.run_call(False, "vp8")
        self.assertEqual(call.summary["connection"]["iceRole"], "controlled")
        self.assertEqual(call.summary["connection"]["dtlsRole"], "client")

    def test_aiortc_offers_h264(self):
        self.run_call(False, "h264")

    def test_tampered_fingerprint_stops_the_call_before_media(self):
        call = Call(False, "vp8", peer_extra=["--tamper"], duration=3).finish()
        self.addCleanup(call.cleanup)
        self.assertEqual(call.status, 1, call.stderr)
        self.assertIn("fingerprint", call.stderr)
        self.assertIsNone(call.summary, "no summary: the call never started")
        self.assertEqual(call.peer_summary["received"]["audioFrames"], 0)
        self.assertEqual(call.peer_summary["received"]["videoFrames"], 0)


class TURNRelay(unittest.TestCase):
    """Our side may use relayed candidates only: every packet goes through coturn."""

    @classmethod
    def setUpClass(cls):
        turnserver = shutil.which("turnserver") or "/usr/bin/turnserver"
        if not os.path.exists(turnserver):
            raise AssertionError("coturn's turnserver is missing: scripts/test.sh installs it (apt coturn)")
        cls.port = free_port()
        cls.dir = tempfile.mkdtemp(prefix="webex-turn-")
        cls.server = subprocess.Popen(
            [turnserver, "-n", "--listening-ip", "127.0.0.1", "--relay-ip", "127.0.0.1", "--listening-port", str(cls.port),
             "--lt-cred-mech", "--user", "webex:relay-secret", "--realm", "emulator.webex.com", "--no-tls", "--no-dtls",
             "--no-cli", "--allow-loopback-peers", "--min-port", "49152", "--max-port", "65535",
             "--pidfile", os.path.join(cls.dir, "turn.pid"), "--log-file", "stdout", "--simple-log"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        deadline = time.time() + 10
        while time.time() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", cls.port)) == 0:
                    return
            time.sleep(0.1)
        cls.server.kill()
        raise AssertionError("coturn did not start listening on 127.0.0.1:%d" % cls.port)

    @classmethod
    def tearDownClass(cls):
        cls.server.terminate()
        try:
            cls.server.wait(5)
        except subprocess.TimeoutExpired:
            cls.server.kill()
        shutil.rmtree(cls.dir, ignore_errors=True)

    def relayed_call(self, transport):
        extra = ["--turn", "turn:127.0.0.1:%d?transport=%s" % (self.port, transport), "--turn-user", "webex", "--relay-only"]
        call = MediaInterop.run_call(self, True, "vp8", extra=extra, env={"WEBEX_TURN_PASSWORD": "relay-secret"})
        conn = call.summary["connection"]
        self.assertTrue(conn["relayed"], conn)
        self.assertTrue(conn["localCandidate"].startswith("relay"), conn)
        with open(os.path.join(call.dir, "offer.sdp")) as f:
            candidates = [l for l in f.read().splitlines() if l.startswith("a=candidate:")]
        self.assertTrue(candidates and all(" typ relay" in c for c in candidates), candidates)
        with open(os.path.join(call.dir, "offer.sdp")) as f:
            offer = f.read()
        for text in (offer, call.stderr, json.dumps(call.summary)):
            self.assertNotIn("relay-secret", text, "the TURN password stays out of SDP, output and errors")

    def test_relay_over_udp(self):
        self.relayed_call("udp")

    def test_relay_over_tcp(self):
        self.relayed_call("tcp")

    def test_wrong_turn_password_is_a_clear_error(self):
        call = Call(True, "vp8", extra=["--turn", "turn:127.0.0.1:%d" % self.port, "--turn-user", "webex", "--relay-only"],
                    env={"WEBEX_TURN_PASSWORD": "not-the-relay-password-7f3a"}, duration=2)
        call.peer.kill()
        call.finish()
        self.addCleanup(call.cleanup)
        self.assertEqual(call.status, 1)
        self.assertIn("127.0.0.1:%d" % self.port, call.stderr)
        self.assertNotIn("not-the-relay-password-7f3a", call.stderr + (call.summary and json.dumps(call.summary) or ""),
                         "the password must not be echoed")


if __name__ == "__main__":
    unittest.main()
