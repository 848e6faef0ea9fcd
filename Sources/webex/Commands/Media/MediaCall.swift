import ArgumentParser
import Dispatch
import Foundation
import Synchronization
import WebexSDK
#if canImport(Glibc)
import Glibc
#endif

struct MediaCall: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "call",
        abstract: "Call a WebRTC peer with SDP exchanged through files or stdin/stdout; print a JSON summary.",
        discussion: """
            We offer:   webex media call --offer-out offer.sdp --answer-in answer.sdp
            We answer:  webex media call --offer-in offer.sdp --answer-out answer.sdp
            A path of - means stdout (our SDP, ended by an empty line) or stdin (the peer's, read up to an empty
            line or the end). A file we read is waited for (--wait), so two programs can take turns through files;
            files we write appear at once, complete (written aside, then renamed).

            Sources: tone:FREQ (a sine), pattern[:WxH[@FPS]] (moving bars with a frame counter), mic:NAME (an ALSA
            capture device; echo cancellation, noise suppression and gain control on unless --no-audio-processing),
            camera:/dev/videoN[:WxH@FPS] (V4L2), a .wav (48 kHz 16-bit) or .y4m (I420) file, or none. --speaker NAME
            plays what arrives (see `webex media devices` for names). Video goes out as H.264 (constrained baseline, what Webex
            answers) or VP8, in the order of --codec.

            The summary (stdout) names the ICE pair, the DTLS role and SRTP profile and, per stream, the codec,
            packets, bytes, loss, jitter, RTT, frames decoded, resolution and the measured tone frequency.
            With --record DIR: audio-<mid>.wav, video-<mid>.ivf (VP8 or H.264, as received; ffplay plays both) and,
            with --record-raw, video-<mid>.y4m.

            TURN: --turn turn:HOST:PORT?transport=udp|tcp --turn-user NAME, the password in WEBEX_TURN_PASSWORD or
            --turn-password-file (never on the command line); --relay-only sends through the relay alone.

            Exit status: 0 when the call ran its --duration (or the peer hung up); 1 when it could not connect
            (ICE, a DTLS fingerprint that does not match, a timeout) or media failed; 2 usage; 130 Ctrl-C (the
            summary is still printed).
            """)

    @Option(name: .customLong("offer-out"), help: ArgumentHelp("We offer: write our SDP offer here (- for stdout).", valueName: "path"))
    var offerOut: String?
    @Option(name: .customLong("answer-in"), help: ArgumentHelp("We offer: read the peer's answer from here (- for stdin).", valueName: "path"))
    var answerIn: String?
    @Option(name: .customLong("offer-in"), help: ArgumentHelp("We answer: read the peer's offer from here (- for stdin).", valueName: "path"))
    var offerIn: String?
    @Option(name: .customLong("answer-out"), help: ArgumentHelp("We answer: write our SDP answer here (- for stdout).", valueName: "path"))
    var answerOut: String?

    @Option(help: ArgumentHelp("What to send as audio: tone:FREQ, mic:ALSA-NAME, a .wav file, or none.", valueName: "source"))
    var audio = "tone:440"
    @Option(help: ArgumentHelp("What to send as video: pattern[:WxH[@FPS]], camera:/dev/videoN[:WxH@FPS], a .y4m file, or none.", valueName: "source"))
    var video = "pattern:640x360@30"
    @Option(help: ArgumentHelp("Play the audio that arrives on this ALSA device (default, hw:1,0 …).", valueName: "name"))
    var speaker: String?
    @Flag(name: .customLong("no-audio-processing"), help: "Send a microphone as captured: no echo cancellation, noise suppression or gain control.")
    var noAudioProcessing = false
    @Option(name: .customLong("codec"), parsing: .singleValue,
            help: ArgumentHelp("Video codecs in order of preference: h264, vp8 (repeatable; default h264 then vp8).", valueName: "codec"))
    var codecs: [String] = []
    @Flag(name: .customLong("content-share"), help: "Offer a second, receive-only video m-line for content share, as Webex clients do.")
    var contentShare = false
    @Option(help: ArgumentHelp("How long to send and receive once connected: seconds, or 30s, 5m.", valueName: "duration"))
    var duration = "10"
    @Option(help: ArgumentHelp("Record what arrives into this directory (created if missing).", valueName: "dir"))
    var record: String?
    @Flag(name: .customLong("record-raw"), help: "With --record, also write the decoded video as Y4M (about 10 MB a second at 640x360).")
    var recordRaw = false
    @Option(name: .customLong("bind"), parsing: .singleValue,
            help: ArgumentHelp("Offer host candidates on this local IPv4 address (repeatable; default: every non-loopback interface).", valueName: "address"))
    var bind: [String] = []
    @Option(name: .customLong("stun"), parsing: .singleValue, help: ArgumentHelp("A STUN server HOST:PORT for a server-reflexive candidate (repeatable).", valueName: "server"))
    var stun: [String] = []
    @Option(help: ArgumentHelp("A TURN server: turn:HOST:PORT[?transport=udp|tcp].", valueName: "url"))
    var turn: String?
    @Option(name: .customLong("turn-user"), help: ArgumentHelp("The TURN user name.", valueName: "name"))
    var turnUser: String?
    @Option(name: .customLong("turn-password-file"), help: ArgumentHelp("Read the TURN password from this file (or set WEBEX_TURN_PASSWORD).", valueName: "file"))
    var turnPasswordFile: String?
    @Flag(name: .customLong("relay-only"), help: "Use relayed candidates only (needs --turn).")
    var relayOnly = false
    @Option(help: ArgumentHelp("How long to wait for the peer's SDP file to appear, in seconds.", valueName: "seconds"))
    var wait: Double = 60
    @Option(name: .customLong("connect-timeout"), help: ArgumentHelp("Give up when ICE and DTLS have not connected after this many seconds.", valueName: "seconds"))
    var connectTimeout: Double = 15
    @Option(name: .customLong("video-bitrate"), help: ArgumentHelp("Video bitrate in kbit/s.", valueName: "kbps"))
    var videoBitrate = 800
    @Option(name: .customLong("audio-bitrate"), help: ArgumentHelp("Opus bitrate in kbit/s.", valueName: "kbps"))
    var audioBitrate = 32

    func validate() throws {
        let offering = offerOut != nil || answerIn != nil
        let answering = offerIn != nil || answerOut != nil
        if offering && answering {
            throw ValidationError("choose one side: --offer-out with --answer-in (we offer), or --offer-in with --answer-out (we answer)")
        }
        if offering && (offerOut == nil || answerIn == nil) {
            throw ValidationError("to offer, give both --offer-out (where our offer goes) and --answer-in (where the answer comes from)")
        }
        if answering && (offerIn == nil || answerOut == nil) {
            throw ValidationError("to answer, give both --offer-in (where the offer comes from) and --answer-out (where our answer goes)")
        }
        if !offering && !answering {
            throw ValidationError("say how the SDP is exchanged: --offer-out FILE --answer-in FILE, or --offer-in FILE --answer-out FILE")
        }
        guard let seconds = ListenOptions.seconds(duration), seconds <= 86_400 else {
            throw ValidationError("--duration '\(duration)' is not a duration up to a day: use seconds (10) or 30s, 5m")
        }
        guard wait.isFinite, wait > 0, wait <= 3600 else { throw ValidationError("--wait must be between 0 and 3600 seconds") }
        guard connectTimeout.isFinite, connectTimeout > 0, connectTimeout <= 600 else {
            throw ValidationError("--connect-timeout must be between 0 and 600 seconds")
        }
        guard (50...20_000).contains(videoBitrate) else { throw ValidationError("--video-bitrate must be between 50 and 20000 kbit/s") }
        guard (6...510).contains(audioBitrate) else { throw ValidationError("--audio-bitrate must be between 6 and 510 kbit/s (Opus)") }
        _ = try videoCodecs()
        _ = try sourceSpec(audio, kind: "audio")
        _ = try sourceSpec(video, kind: "video")
        if relayOnly && turn == nil { throw ValidationError("--relay-only needs a --turn server") }
        if turn != nil && turnUser == nil { throw ValidationError("--turn needs --turn-user (and the password in WEBEX_TURN_PASSWORD or --turn-password-file)") }
        for b in bind where SocketAddress(host: b, port: 0) == nil {
            throw ValidationError("--bind '\(b)' is not a numeric IP address")
        }
        if [offerOut, answerOut].contains("-") && [offerIn, answerIn].contains("-") {
            // Both directions on the standard streams are fine: our SDP first on stdout, the peer's on stdin.
        }
    }

    private func videoCodecs() throws -> [VideoCodecKind] {
        let names = codecs.flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() } }
        if names.isEmpty { return [.h264, .vp8] }
        return try names.map { name in
            switch name {
            case "h264", "h.264", "avc": return .h264
            case "vp8": return .vp8
            default: throw ValidationError("--codec '\(name)' is not supported: use h264 or vp8")
            }
        }
    }

    private func sourceSpec(_ text: String, kind: String) throws -> MediaSourceSpec? {
        if text.lowercased() == "none" { return nil }
        do {
            let spec = try MediaSourceSpec.parse(text)
            guard spec.isAudio == (kind == "audio") else {
                throw ValidationError("--\(kind) '\(text)' is not \(kind == "audio" ? "an audio" : "a video") source")
            }
            return spec
        } catch let e as ValidationError {
            throw e
        } catch {
            throw ValidationError("--\(kind) '\(text)': \(error)")
        }
    }

    private func turnServer(environment: [String: String]) throws -> MediaSessionConfiguration.TURNServer? {
        guard let turn else { return nil }
        guard let parsed = TURNURL(turn) else {
            throw CLIError.usage("--turn '\(turn)' is not a TURN URL: use turn:HOST:PORT or turn:HOST:PORT?transport=tcp")
        }
        var password = environment["WEBEX_TURN_PASSWORD"]
        if let file = turnPasswordFile {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw CLIError.usage("cannot read --turn-password-file \(file)")
            }
            password = text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        guard let password, !password.isEmpty else {
            throw CLIError.usage("the TURN password is missing: set WEBEX_TURN_PASSWORD or use --turn-password-file")
        }
        return .init(address: parsed.address, transport: parsed.transport, username: turnUser ?? "", password: password)
    }

    func run() async throws {
        let ctx = CLIContext.current
        let io = ctx.io
        let chatty = io.stderrIsTTY
        var config = MediaSessionConfiguration(
            audio: try sourceSpec(audio, kind: "audio"), video: try sourceSpec(video, kind: "video"),
            videoCodecs: try videoCodecs(), offerContentShare: contentShare,
            speaker: speaker, audioProcessing: !noAudioProcessing, recordDirectory: record, recordDecodedVideo: recordRaw,
            hostAddresses: bind.compactMap { SocketAddress(host: $0, port: 0) },
            stunServers: try stun.map { text in
                guard let a = SocketAddress(hostPort: text) else { throw CLIError.usage("--stun '\(text)' is not HOST:PORT (numeric IPv4)") }
                return a
            },
            relayOnly: relayOnly, audioBitrate: audioBitrate * 1000, videoBitrate: videoBitrate * 1000,
            connectTimeout: connectTimeout)
        if let server = try turnServer(environment: ctx.environment) { config.turnServers = [server] }
        if let record {
            do { try FileManager.default.createDirectory(atPath: record, withIntermediateDirectories: true) } catch {
                throw CLIError.failure("cannot create --record directory \(record): \(error.localizedDescription)")
            }
        }
        let seconds = ListenOptions.seconds(duration) ?? 10
        let configuration = config
        let offerOut = offerOut, answerIn = answerIn, offerIn = offerIn, answerOut = answerOut, wait = wait

        // Ctrl-C ends the call early; the summary is still printed.
        let interrupted = Atomic<Bool>(false)
        let sessionBox = Mutex<MediaSession?>(nil)
        let trap = SignalTrap {
            // A second Ctrl-C does not wait for a clean goodbye.
            if interrupted.exchange(true, ordering: .sequentiallyConsistent) { _exit(ExitCodeValue.interrupted.rawValue) }
            sessionBox.withLock { $0 }?.end()
        }
        defer { trap.release() }

        let result: Result<MediaSummary, Error> = await withCheckedContinuation { continuation in
            let thread = Thread {
                continuation.resume(returning: Result {
                    let session = try MediaSession(configuration: configuration)
                    // Also on every failure before `run`: TURN allocations are given back, the socket closed.
                    defer { session.close() }
                    sessionBox.withLock { $0 = session }
                    if chatty { session.onProgress = { io.err("\r\u{1B}[2K\($0)") } }
                    if let offerOut, let answerIn {
                        try SDPExchange.write(try session.createOffer(), to: offerOut, io: io)
                        try session.setAnswer(try SDPExchange.read(from: answerIn, wait: wait, interrupted: interrupted))
                    } else if let offerIn, let answerOut {
                        let offer = try SDPExchange.read(from: offerIn, wait: wait, interrupted: interrupted)
                        try SDPExchange.write(try session.acceptOffer(offer), to: answerOut, io: io)
                    }
                    return try session.run(for: seconds)
                })
            }
            thread.name = "webex-media-call"
            thread.start()
        }
        if chatty { io.err("\r\u{1B}[2K") }
        let summary: MediaSummary
        do { summary = try result.get() } catch {
            if interrupted.load(ordering: .sequentiallyConsistent) {
                io.err("interrupted before the call connected\n")
                throw ExitCode(ExitCodeValue.interrupted.rawValue)
            }
            if let e = error as? MediaError { throw CLIError.failure(e.message) }
            throw error
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = io.stdoutIsTTY ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(summary)
        io.out(String(decoding: data, as: UTF8.self) + "\n")
        if interrupted.load(ordering: .sequentiallyConsistent) { throw ExitCode(ExitCodeValue.interrupted.rawValue) }
        if let error = summary.error {
            io.err("error: \(error)\n")
            throw ExitCode(ExitCodeValue.failure.rawValue)
        }
    }
}

/// `turn:HOST:PORT?transport=udp|tcp` (RFC 7065), numeric IPv4 hosts.
struct TURNURL {
    var address: SocketAddress
    var transport: MediaSessionConfiguration.TURNServer.Transport

    init?(_ text: String) {
        guard text.hasPrefix("turn:") else { return nil }
        var rest = Substring(text.dropFirst(5))
        transport = .udp
        if let q = rest.firstIndex(of: "?") {
            let query = rest[rest.index(after: q)...]
            rest = rest[..<q]
            switch query.lowercased() {
            case "transport=udp": transport = .udp
            case "transport=tcp": transport = .tcp
            default: return nil
            }
        }
        guard let address = SocketAddress(hostPort: String(rest)) else { return nil }
        self.address = address
    }
}

/// Reading and writing SDP through files or the standard streams.
enum SDPExchange {
    static func write(_ sdp: String, to path: String, io: IOStreams) throws {
        if path == "-" {
            io.out(sdp.trimmingCharacters(in: .newlines) + "\n\n")
            io.flush()
            return
        }
        // The SDP carries our ICE password: readable by us only, and it appears whole (renamed into place).
        let tmp = path + ".tmp-\(getpid())"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { throw CLIError.failure("cannot write \(path): \(String(cString: strerror(errno)))") }
        let bytes = Array(sdp.utf8)
        let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        Glibc.close(fd)
        guard written == bytes.count, rename(tmp, path) == 0 else {
            unlink(tmp)
            throw CLIError.failure("cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }

    static func read(from path: String, wait: Double, interrupted: borrowing Atomic<Bool>) throws -> String {
        if path == "-" {
            // Read byte by byte (nothing past the SDP's closing empty line is taken), waking every 100 ms so
            // Ctrl-C is noticed while the peer takes its time.
            var lines: [String] = []
            var line: [UInt8] = []
            let deadline = Date().addingTimeInterval(wait)
            reading: while true {
                if interrupted.load(ordering: .sequentiallyConsistent) { throw CLIError.failure("interrupted while waiting for the SDP on stdin") }
                if Date() > deadline { throw CLIError.failure("no SDP arrived on stdin within \(Int(wait)) s") }
                var pfd = pollfd(fd: 0, events: Int16(POLLIN), revents: 0)
                guard poll(&pfd, 1, 100) > 0 else { continue }
                var byte: UInt8 = 0
                let n = Glibc.read(0, &byte, 1)
                if n <= 0 { break reading }
                if byte != 0x0A { line.append(byte); continue }
                let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: CharacterSet(charactersIn: "\r"))
                line.removeAll()
                if text.trimmingCharacters(in: .whitespaces).isEmpty {
                    if lines.isEmpty { continue } else { break reading }
                }
                lines.append(text)
            }
            if !line.isEmpty { lines.append(String(decoding: line, as: UTF8.self)) }
            guard !lines.isEmpty else { throw CLIError.failure("no SDP arrived on stdin") }
            return lines.joined(separator: "\r\n") + "\r\n"
        }
        let deadline = Date().addingTimeInterval(wait)
        while !FileManager.default.fileExists(atPath: path) {
            if interrupted.load(ordering: .sequentiallyConsistent) { throw CLIError.failure("interrupted while waiting for \(path)") }
            if Date() > deadline {
                throw CLIError.failure("the peer's SDP did not appear at \(path) within \(Int(wait)) s: start the peer, or raise --wait")
            }
            usleep(20_000)
        }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw CLIError.failure("cannot read \(path) as text")
        }
        return text
    }
}
