import Foundation
import Synchronization

/// Received audio to an ALSA speaker, on its own thread paced by the device: the network thread hands
/// over decoded 20 ms frames without ever blocking; when none is waiting the speaker gets silence (the
/// jitter buffer already concealed losses), and when too many wait (the device runs slower than the
/// sender) the oldest are dropped to keep the delay short. Each frame is given to the echo canceller as
/// the far end just before it is played.
final class SpeakerOutput: @unchecked Sendable {
    private let playback: ALSAPlayback
    private let processor: AudioProcessor?
    private let queue = Mutex<[AudioFrame]>([])
    private let stopping = Atomic<Bool>(false)
    private let finished = Atomic<Bool>(false)
    private let failure = Mutex<MediaError?>(nil)
    /// At most this many frames (20 ms each) wait: 100 ms.
    private static let maxQueued = 5

    init(device: String, processor: AudioProcessor?) throws {
        playback = try ALSAPlayback(device: device, channels: 1, sampleRate: 48_000)
        self.processor = processor
        let thread = Thread { [self] in loop() }
        thread.name = "webex-media-speaker"
        thread.start()
    }

    func enqueue(_ frame: AudioFrame) {
        let mono = frame.channels == 1 ? frame : AudioFrame(
            samples: stride(from: 0, to: frame.samples.count, by: frame.channels).map { frame.samples[$0] },
            channels: 1, sampleRate: frame.sampleRate, timestamp: frame.timestamp)
        queue.withLock { q in
            q.append(mono)
            if q.count > Self.maxQueued { q.removeFirst(q.count - Self.maxQueued) }
        }
    }

    private func loop() {
        let silence = AudioFrame(samples: [Int16](repeating: 0, count: 960), channels: 1, sampleRate: 48_000)
        while !stopping.load(ordering: .sequentiallyConsistent) {
            let next = queue.withLock { q in q.isEmpty ? nil : q.removeFirst() } ?? silence
            do {
                try processor?.processReverse(next)
                try playback.write(next)  // blocks while the device buffer is full: the device sets the pace
            } catch {
                failure.withLock { $0 = (error as? MediaError) ?? MediaError(.io, "The speaker failed: \(error)") }
                break
            }
        }
        try? playback.close()
        finished.store(true, ordering: .sequentiallyConsistent)
    }

    /// The error that stopped playback, if any.
    var error: MediaError? { failure.withLock { $0 } }

    /// Stops playback; gives up waiting after 2 s (a device whose clock stopped would block forever).
    func close() {
        stopping.store(true, ordering: .sequentiallyConsistent)
        let deadline = MediaClock.nowMicros() + 2_000_000
        while !finished.load(ordering: .sequentiallyConsistent) && MediaClock.nowMicros() < deadline { usleep(2_000) }
    }
}
