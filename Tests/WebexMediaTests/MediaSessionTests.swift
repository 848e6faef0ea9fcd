import Foundation
import Synchronization
import Testing

@testable import WebexMedia

/// Two media sessions in one process over 127.0.0.1: the whole pipeline (ICE, DTLS, SRTP, codecs, RTP,
/// RTCP feedback) without the CLI, including what loss does to it.
@Suite(.serialized)
struct MediaSessionTests {
    static func configuration(tone: Double, codec: VideoCodecKind, sends: Bool = true) -> MediaSessionConfiguration {
        MediaSessionConfiguration(
            audio: sends ? .tone(frequency: tone) : nil, video: sends ? .pattern(width: 320, height: 180, framesPerSecond: 20) : nil,
            videoCodecs: [codec], hostAddresses: [SocketAddress(host: "127.0.0.1", port: 0)!], videoBitrate: 300_000,
            connectTimeout: 10)
    }

    final class Outcome: Sendable {
        let value = Mutex<Result<MediaSummary, any Error>?>(nil)
    }

    /// Runs both sessions for `seconds` on their own threads; returns their summaries (or errors).
    static func run(_ a: MediaSession, _ b: MediaSession, seconds: Double) -> (Result<MediaSummary, any Error>, Result<MediaSummary, any Error>) {
        let outcomes = [Outcome(), Outcome()]
        let threads = zip([a, b], outcomes).map { session, outcome in
            Thread { outcome.value.withLock { $0 = Result { try session.run(for: seconds) } } }
        }
        for t in threads { t.start() }
        let deadline = Date().addingTimeInterval(seconds + 30)
        while outcomes.contains(where: { $0.value.withLock { $0 } == nil }) && Date() < deadline { usleep(20_000) }
        let results = outcomes.map { $0.value.withLock { $0 } ?? .failure(MediaError(.timeout, "did not finish")) }
        return (results[0], results[1])
    }

    static func stream(_ summary: MediaSummary, _ kind: String) throws -> MediaSummary.Stream {
        try #require(summary.streams.first { $0.kind == kind })
    }

    @Test func lossIsRepairedWithNACKAndConcealed() throws {
        let a = try MediaSession(configuration: Self.configuration(tone: 440, codec: .vp8))
        let b = try MediaSession(configuration: Self.configuration(tone: 660, codec: .vp8))
        // A loses one RTP packet in twelve on the way out (audio and video alike).
        let counter = Atomic<Int>(0)
        a.dropOutgoingRTP = { _ in counter.add(1, ordering: .relaxed).newValue % 12 == 0 }
        try a.setAnswer(try b.acceptOffer(try a.createOffer()))
        let (ra, rb) = Self.run(a, b, seconds: 4)
        let sa = try ra.get(), sb = try rb.get()
        let sentVideo = try Self.stream(sa, "video"), gotVideo = try Self.stream(sb, "video")
        let gotAudio = try Self.stream(sb, "audio")
        // B saw the gaps and asked; A resent from its history; B decoded nearly every frame.
        #expect((gotVideo.received.nacksSent ?? 0) > 0, "\(gotVideo.received)")
        #expect((sentVideo.sent.retransmitted ?? 0) > 0, "\(sentVideo.sent)")
        #expect(Double(gotVideo.received.framesDecoded) >= 0.85 * Double(sentVideo.sent.frames), "\(gotVideo.received) vs \(sentVideo.sent)")
        #expect(gotVideo.received.width == 320 && gotVideo.received.height == 180)
        // Audio is not retransmitted: the lost 20 ms are concealed (FEC or PLC) and the tone survives.
        #expect((gotAudio.received.concealed ?? 0) > 0, "\(gotAudio.received)")
        #expect(abs((gotAudio.received.frequencyHz ?? 0) - 440) < 5, "\(gotAudio.received)")
        // Loss is reported as RTCP sees it: the receiver counts what never arrived (retransmissions fill some).
        #expect(gotAudio.received.lost > 0)
        #expect(try Self.stream(sa, "audio").rttMs != nil, "RTT from B's receiver reports")
        #expect(sa.endedBy == "duration" || sa.endedBy == "peer")
    }

    @Test func h264ReceiveOnlyPeerGetsKeyframeAndFrames() throws {
        let a = try MediaSession(configuration: Self.configuration(tone: 440, codec: .h264))
        let b = try MediaSession(configuration: Self.configuration(tone: 0, codec: .h264, sends: false))
        let answer = try b.acceptOffer(try a.createOffer())
        #expect(answer.contains("a=recvonly") && answer.contains("H264/90000"))
        try a.setAnswer(answer)
        let (ra, rb) = Self.run(a, b, seconds: 3)
        let sa = try ra.get(), sb = try rb.get()
        let sent = try Self.stream(sa, "video").sent, got = try Self.stream(sb, "video").received
        #expect(try Self.stream(sa, "video").direction == "sendonly")
        #expect(sent.keyframes ?? 0 >= 1)
        #expect(Double(got.framesDecoded) >= 0.9 * Double(sent.frames), "\(got) vs \(sent)")
        #expect(try Self.stream(sb, "audio").sent.packets == 0)
    }

    @Test func aTamperedFingerprintStopsBothSidesBeforeMedia() throws {
        let a = try MediaSession(configuration: Self.configuration(tone: 440, codec: .vp8))
        let b = try MediaSession(configuration: Self.configuration(tone: 660, codec: .vp8))
        let answer = try b.acceptOffer(try a.createOffer())
        // Flip one hex digit of B's fingerprint as A sees it.
        let lines = answer.components(separatedBy: "\r\n").map { line -> String in
            guard line.hasPrefix("a=fingerprint:sha-256 ") else { return line }
            var chars = Array(line)
            let i = chars.count - 1
            chars[i] = chars[i] == "0" ? "1" : "0"
            return String(chars)
        }
        try a.setAnswer(lines.joined(separator: "\r\n"))
        let (ra, rb) = Self.run(a, b, seconds: 2)
        #expect(throws: MediaError.self) { try ra.get() }
        if case .failure(let error as MediaError) = ra {
            #expect(error.kind == .dtls)
            #expect(error.message.contains("does not match the fingerprint in its SDP"), "\(error.message)")
        }
        // B's handshake fails too (A aborts it with an alert): neither side ever had SRTP keys.
        #expect(throws: MediaError.self) { try rb.get() }
    }

    @Test func aSessionRunsOnceAndClosesItsSocket() throws {
        let a = try MediaSession(configuration: Self.configuration(tone: 440, codec: .vp8))
        #expect(throws: MediaError.self) { _ = try a.run(for: 1) }  // nothing negotiated yet
        _ = try a.createOffer()
        #expect(throws: MediaError.self) { _ = try a.createOffer() }
        a.close()
        #expect(a.socket.isClosed)
        #expect(throws: MediaError.self) { try a.setAnswer("v=0\r\n") }
    }

    @Test func offersCarryWhatWebexAndAiortcNeed() throws {
        var config = Self.configuration(tone: 440, codec: .h264)
        config.videoCodecs = [.h264, .vp8]
        config.offerContentShare = true
        let a = try MediaSession(configuration: config)
        let offer = try SessionDescription(parsing: try a.createOffer())
        #expect(offer.media.map(\.mid) == ["0", "1", "2"])
        #expect(offer.groups.first == ["BUNDLE", "0", "1", "2"])
        let video = offer.media[1].payloadFormats.map(\.name)
        #expect(video.first == "H264" && video.contains("VP8"), "H.264 first: Webex answers nothing else")
        let h264 = try #require(offer.media[1].payloadFormats.first { $0.name == "H264" })
        #expect(h264.parameter("packetization-mode") == "1")
        #expect(h264.parameter("profile-level-id")?.lowercased().hasPrefix("42") == true)
        #expect(offer.media[2].direction == .recvonly && offer.media[2].isSlides)
        for m in offer.media {
            #expect(m.setup == "actpass" && m.rtcpMux && m.iceUfrag != nil && m.fingerprint?.algorithm == "sha-256")
            #expect(!m.candidates.isEmpty, "non-trickle: candidates are in the offer")
        }
    }
}
