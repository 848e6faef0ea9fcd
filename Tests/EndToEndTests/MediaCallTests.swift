import Foundation
import Testing

/// `webex media call` end to end: two real processes call each other over 127.0.0.1 (both roles, both video
/// codecs, SDP through files and through the standard streams), plus the ways a call can fail. The calls
/// against a third-party WebRTC peer (aiortc) and through a TURN relay are in Tests/Interop.
@Suite(.serialized)
struct MediaCallTests {
    let webex = binDir.appendingPathComponent("webex")
    let env = ["PATH": "/usr/bin:/bin", "HOME": FileManager.default.temporaryDirectory.path]

    func call(_ args: [String], stdinPipe: Bool = false) throws -> Background {
        try Background(webex, ["media", "call", "--bind", "127.0.0.1"] + args, env: env, stdinPipe: stdinPipe)
    }

    /// The JSON summary: what follows our SDP (when it went to stdout) or the whole of stdout.
    func summary(_ stdout: String) throws -> [String: Any] {
        let text = stdout.components(separatedBy: "\n\n").last ?? stdout
        return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "\(stdout)")
    }

    func stream(_ summary: [String: Any], _ kind: String) throws -> [String: Any] {
        let streams = try #require(summary["streams"] as? [[String: Any]])
        return try #require(streams.first { $0["kind"] as? String == kind })
    }

    /// Checks that `receiver` heard `sender`'s tone and decoded its frames at the size sent.
    func expectMedia(from sender: [String: Any], to receiver: [String: Any], tone: Double, size: (Int, Int)) throws {
        let sentVideo = try stream(sender, "video")["sent"] as? [String: Any] ?? [:]
        let gotVideo = try stream(receiver, "video")["received"] as? [String: Any] ?? [:]
        let gotAudio = try stream(receiver, "audio")["received"] as? [String: Any] ?? [:]
        let frames = sentVideo["frames"] as? Int ?? 0
        #expect(frames > 20)
        #expect(Double(gotVideo["framesDecoded"] as? Int ?? 0) >= 0.9 * Double(frames), "\(gotVideo) vs \(sentVideo)")
        #expect(gotVideo["width"] as? Int == size.0 && gotVideo["height"] as? Int == size.1, "\(gotVideo)")
        let heard = gotAudio["frequencyHz"] as? Double ?? 0
        #expect(abs(heard - tone) < 5, "heard \(heard) Hz, sent \(tone) Hz")
    }

    @Test func twoCallsThroughTheStandardStreamsWithVP8() async throws {
        let dir = TempDir()
        let answerFile = dir.path("answer.sdp")
        // A offers on stdout; B reads that offer on stdin and answers into a file A waits for.
        let a = try call(["--offer-out", "-", "--answer-in", answerFile, "--codec", "vp8", "--audio", "tone:440",
                          "--video", "pattern:320x180@15", "--duration", "3"])
        #expect(await a.wait(timeout: 30) { $0.stdout.contains("\n\n") }, "no offer: \(a.stderr)")
        let offer = a.stdout.components(separatedBy: "\n\n")[0]
        #expect(offer.hasPrefix("v=0"))
        #expect(offer.contains("a=setup:actpass") && offer.contains("a=rtpmap:96 VP8/90000") && !offer.contains("H264"))
        let b = try call(["--offer-in", "-", "--answer-out", answerFile, "--codec", "vp8", "--audio", "tone:660",
                          "--video", "pattern:320x180@15", "--duration", "3"], stdinPipe: true)
        b.send(offer + "\n")
        let statusA = await a.exitStatus(timeout: 60), statusB = await b.exitStatus(timeout: 60)
        #expect(statusA == 0, "\(a.stderr)")
        #expect(statusB == 0, "\(b.stderr)")
        let sa = try summary(a.stdout), sb = try summary(b.stdout)
        #expect(sa["endedBy"] as? String == "duration" || sa["endedBy"] as? String == "peer")
        try expectMedia(from: sa, to: sb, tone: 440, size: (320, 180))
        try expectMedia(from: sb, to: sa, tone: 660, size: (320, 180))
        let ca = try #require(sa["connection"] as? [String: Any]), cb = try #require(sb["connection"] as? [String: Any])
        #expect(ca["iceRole"] as? String == "controlling" && cb["iceRole"] as? String == "controlled")
        #expect(ca["dtlsRole"] as? String == "server" && cb["dtlsRole"] as? String == "client")
        #expect(ca["srtpProfile"] as? String == "AEAD_AES_128_GCM")
        #expect(try stream(sa, "video")["codec"] as? String == "VP8/90000")
    }

    @Test func h264ThroughFilesIsRecorded() async throws {
        let dir = TempDir()
        let offer = dir.path("offer.sdp"), answer = dir.path("answer.sdp"), record = dir.path("rec")
        let a = try call(["--offer-out", offer, "--answer-in", answer, "--codec", "h264", "--codec", "vp8",
                          "--audio", "tone:523", "--video", "pattern:320x180@15", "--duration", "3"])
        let b = try call(["--offer-in", offer, "--answer-out", answer, "--codec", "h264", "--audio", "none",
                          "--video", "none", "--duration", "3", "--record", record, "--record-raw"])
        #expect(await a.exitStatus(timeout: 60) == 0, "\(a.stderr)")
        #expect(await b.exitStatus(timeout: 60) == 0, "\(b.stderr)")
        let sa = try summary(a.stdout), sb = try summary(b.stdout)
        // B sends nothing: its m-lines are receive-only, so A's are send-only.
        #expect(try stream(sb, "video")["direction"] as? String == "recvonly")
        #expect(try stream(sa, "audio")["direction"] as? String == "sendonly")
        #expect(try stream(sb, "video")["codec"] as? String == "H264/90000", "the first codec both sides have")
        try expectMedia(from: sa, to: sb, tone: 523, size: (320, 180))
        // The recordings: a WAV of the tone, the H.264 as received in IVF, and the decoded frames as Y4M.
        let ivf = try #require(FileManager.default.contents(atPath: record + "/video-1.ivf"))
        #expect(ivf.count > 1000 && Array(ivf.prefix(4)) == Array("DKIF".utf8) && Array(ivf[8..<12]) == Array("H264".utf8))
        let wav = try #require(FileManager.default.contents(atPath: record + "/audio-0.wav"))
        #expect(Array(wav.prefix(4)) == Array("RIFF".utf8) && wav.count > 48_000 * 2)
        let y4m = try #require(FileManager.default.contents(atPath: record + "/video-1.y4m"))
        #expect(String(decoding: y4m.prefix(40), as: UTF8.self).hasPrefix("YUV4MPEG2 W320 H180"))
    }

    @Test func ctrlCEndsTheCallWithASummaryAndThePeerSeesTheGoodbye() async throws {
        let dir = TempDir()
        let offer = dir.path("offer.sdp"), answer = dir.path("answer.sdp")
        let a = try call(["--offer-out", offer, "--answer-in", answer, "--codec", "vp8", "--video", "pattern:160x90@10",
                          "--duration", "60"])
        let b = try call(["--offer-in", offer, "--answer-out", answer, "--codec", "vp8", "--video", "pattern:160x90@10",
                          "--duration", "60"])
        // Once B has answered, the call connects within moments; give it a second and a half of media.
        for _ in 0..<600 where !FileManager.default.fileExists(atPath: answer) { try await Task.sleep(nanoseconds: 50_000_000) }
        try await Task.sleep(nanoseconds: 1_500_000_000)
        kill(a.process.processIdentifier, SIGINT)
        #expect(await a.exitStatus(timeout: 20) == 130, "\(a.stderr)")
        let sa = try summary(a.stdout)
        #expect(((try stream(sa, "audio")["sent"] as? [String: Any])?["packets"] as? Int ?? 0) > 20)
        #expect(sa["endedBy"] as? String == "local")
        // B hears RTCP BYE and ends by itself, well before its 60 s.
        #expect(await b.exitStatus(timeout: 20) == 0, "\(b.stderr)")
        let sb = try summary(b.stdout)
        #expect(sb["endedBy"] as? String == "peer" && sb["error"] == nil, "\(sb)")
    }

    @Test func usageErrorsSayWhatToDo() throws {
        let cases: [([String], String)] = [
            ([], "--offer-out FILE --answer-in FILE"),
            (["--offer-out", "o", "--offer-in", "i"], "choose one side"),
            (["--offer-out", "o"], "--answer-in"),
            (["--offer-out", "o", "--answer-in", "a", "--codec", "av1"], "--codec 'av1' is not supported"),
            (["--offer-out", "o", "--answer-in", "a", "--audio", "pattern"], "is not an audio source"),
            (["--offer-out", "o", "--answer-in", "a", "--video", "tone:3"], "is not a video source"),
            (["--offer-out", "o", "--answer-in", "a", "--relay-only"], "--relay-only needs a --turn server"),
            (["--offer-out", "o", "--answer-in", "a", "--duration", "soon"], "--duration 'soon'"),
            (["--offer-out", "o", "--answer-in", "a", "--bind", "localhost"], "not a numeric IP address"),
            (["--offer-out", "o", "--answer-in", "a", "--connect-timeout=-1"], "--connect-timeout must be"),
            (["--offer-out", "o", "--answer-in", "a", "--connect-timeout", "nan"], "--connect-timeout must be"),
            (["--offer-out", "o", "--answer-in", "a", "--duration", "1e300"], "up to a day"),
            (["--offer-out", "o", "--answer-in", "a", "--video-bitrate", "0"], "--video-bitrate must be"),
        ]
        for (args, message) in cases {
            let r = try runProcess(webex, ["media", "call"] + args, env: env)
            #expect(r.status == 2, "\(args): \(r.stderr)")
            #expect(r.stderr.contains(message), "\(args): \(r.stderr)")
        }
        // The TURN password never comes from the command line.
        let dir = TempDir()
        let r = try runProcess(webex, ["media", "call", "--offer-out", dir.path("o"), "--answer-in", dir.path("a"),
                                       "--turn", "turn:127.0.0.1:3478", "--turn-user", "me"], env: env)
        #expect(r.status == 2 && r.stderr.contains("WEBEX_TURN_PASSWORD"), "\(r.stderr)")
    }

    @Test func anAnswerThatNeverComesIsAClearFailure() throws {
        let dir = TempDir()
        let r = try runProcess(webex, ["media", "call", "--bind", "127.0.0.1", "--offer-out", dir.path("offer.sdp"),
                                       "--answer-in", dir.path("answer.sdp"), "--wait", "1"], env: env)
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stderr.contains("did not appear at \(dir.path("answer.sdp"))"), "\(r.stderr)")
        // Our offer was written whole, with our candidate on the bound address and no secrets of the peer's.
        let offer = try String(contentsOfFile: dir.path("offer.sdp"), encoding: .utf8)
        #expect(offer.contains("a=candidate:") && offer.contains("127.0.0.1") && offer.contains("a=fingerprint:sha-256 "))
        // It holds our ICE password: readable by us only.
        let mode = try FileManager.default.attributesOfItem(atPath: dir.path("offer.sdp"))[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(r.stdout.isEmpty)
    }

    @Test func aMissingMicrophoneFailsBeforeTheCallConnects() async throws {
        let dir = TempDir()
        let offer = dir.path("offer.sdp"), answer = dir.path("answer.sdp")
        let a = try call(["--offer-out", offer, "--answer-in", answer, "--audio", "mic:nosuchpcm", "--video", "none",
                          "--duration", "3"])
        let b = try call(["--offer-in", offer, "--answer-out", answer, "--video", "none", "--duration", "3"])
        #expect(await a.exitStatus(timeout: 30) == 1)
        #expect(a.stderr.contains("nosuchpcm"), "\(a.stderr)")
        b.stop()
    }

    @Test func garbageSDPIsRefusedWithoutAStackTrace() throws {
        let dir = TempDir()
        FileManager.default.createFile(atPath: dir.path("offer.sdp"), contents: Data("hello\r\nthis is not SDP\r\n".utf8))
        let r = try runProcess(webex, ["media", "call", "--bind", "127.0.0.1", "--offer-in", dir.path("offer.sdp"),
                                       "--answer-out", dir.path("answer.sdp")], env: env)
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stderr.lowercased().contains("sdp"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.path("answer.sdp")))
    }
}
