/// Measures the frequency of a recorded tone, to check audio end to end (tone in → network → file out).
public enum ToneAnalyzer {
    /// The frequency of the dominant tone in mono `samples`: the median of per-window estimates (100 ms
    /// windows), so a few damaged stretches (lost packets concealed by the decoder, a click) do not move it.
    /// Accurate to well under 1 Hz for a clean tone over ≥ 1 s. Returns 0 when there is no periodic signal.
    public static func dominantFrequency(samples: [Int16], sampleRate: Int) -> Double {
        let window = max(sampleRate / 10, 3)
        guard samples.count >= 2 * window else { return zeroCrossingFrequency(samples: samples[...], sampleRate: sampleRate) }
        var estimates: [Double] = []
        var start = 0
        while start + window <= samples.count {
            let f = zeroCrossingFrequency(samples: samples[start..<(start + window)], sampleRate: sampleRate)
            if f > 0 { estimates.append(f) }
            start += window
        }
        guard !estimates.isEmpty else { return 0 }
        estimates.sort()
        let mid = estimates.count / 2
        return estimates.count % 2 == 1 ? estimates[mid] : (estimates[mid - 1] + estimates[mid]) / 2
    }

    /// One estimate from upward zero crossings with linear interpolation between samples (sub-sample
    /// timing) and hysteresis against noise.
    static func zeroCrossingFrequency(samples: ArraySlice<Int16>, sampleRate: Int) -> Double {
        guard samples.count > 2, sampleRate > 0 else { return 0 }
        let mean = samples.reduce(0.0) { $0 + Double($1) } / Double(samples.count)
        var energy = 0.0
        for s in samples { let d = Double(s) - mean; energy += d * d }
        let rms = (energy / Double(samples.count)).squareRoot()
        guard rms > 1 else { return 0 }
        let hysteresis = 0.2 * rms
        var armed = false  // went below -hysteresis since the last counted crossing
        var first: Double?, last = 0.0, crossings = 0
        var previous = Double(samples[samples.startIndex]) - mean
        for i in (samples.startIndex + 1)..<samples.endIndex {
            let x = Double(samples[i]) - mean
            if x < -hysteresis { armed = true }
            if armed, previous < 0, x >= 0 {
                let t = Double(i - 1) + (-previous) / (x - previous)
                if first == nil { first = t } else { crossings += 1 }
                last = t
                armed = false
            }
            previous = x
        }
        guard let first, crossings > 0, last > first else { return 0 }
        return Double(crossings) * Double(sampleRate) / (last - first)
    }

    /// Same for interleaved audio: analyses one channel.
    public static func dominantFrequency(_ frames: [AudioFrame], channel: Int = 0) -> Double {
        guard let rate = frames.first?.sampleRate else { return 0 }
        var mono: [Int16] = []
        for f in frames where f.channels > channel {
            var i = channel
            while i < f.samples.count { mono.append(f.samples[i]); i += f.channels }
        }
        return dominantFrequency(samples: mono, sampleRate: rate)
    }
}
