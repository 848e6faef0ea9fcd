/// A video encoder behind one interface, so the send path does not care which codec was negotiated.
public protocol VideoEncoder: AnyObject {
    /// Encodes one frame. Returns nil only when the encoder chose to produce nothing for this frame.
    func encode(_ frame: VideoFrame, forceKeyframe: Bool) throws -> EncodedVideoFrame?
    /// New target bitrate in bits per second, effective from the next frame.
    func setBitrate(_ bitsPerSecond: Int)
    /// "VP8" or "H264", as in SDP rtpmap.
    var codecName: String { get }
}

/// A video decoder. `decode` returns nil while it has no picture to show (e.g. parameter sets only) and
/// throws `MediaError(.codec)` when the data cannot be decoded (corrupt, or a reference is missing): the
/// caller should then ask the sender for a keyframe (PLI).
public protocol VideoDecoder: AnyObject {
    func decode(_ data: [UInt8], timestamp: UInt64) throws -> VideoFrame?
}

public enum VideoCodecKind: String, Sendable, CaseIterable {
    case vp8 = "VP8"
    case h264 = "H264"

    /// Creates an encoder for this codec.
    public func makeEncoder(width: Int, height: Int, framesPerSecond: Int, bitrate: Int) throws -> VideoEncoder {
        switch self {
        case .vp8: return try VP8Encoder(width: width, height: height, framesPerSecond: framesPerSecond, bitrate: bitrate)
        case .h264: return try H264Encoder(width: width, height: height, framesPerSecond: framesPerSecond, bitrate: bitrate)
        }
    }

    /// Creates a decoder for this codec.
    public func makeDecoder() throws -> VideoDecoder {
        switch self {
        case .vp8: return try VP8Decoder()
        case .h264: return try H264Decoder()
        }
    }
}

/// Checks that a frame is a well-formed I420 picture of the given size.
func validateI420(_ frame: VideoFrame, width: Int, height: Int, codec: String) throws {
    guard frame.width == width, frame.height == height else {
        throw MediaError(.invalidInput, "\(codec) encoder: frame is \(frame.width)x\(frame.height), the encoder was set up for \(width)x\(height).")
    }
    let cw = (width + 1) / 2, ch = (height + 1) / 2
    guard frame.y.count >= width * height, frame.u.count >= cw * ch, frame.v.count >= cw * ch else {
        throw MediaError(.invalidInput, "\(codec) encoder: frame planes are too small for \(width)x\(height) I420.")
    }
}

/// Copies a plane with a source stride into a tightly packed array.
func copyI420Plane(from src: UnsafePointer<UInt8>, stride: Int, width: Int, height: Int) -> [UInt8] {
    [UInt8](unsafeUninitializedCapacity: width * height) { buf, count in
        guard let dst = buf.baseAddress else { count = 0; return }
        for row in 0..<height {
            (dst + row * width).update(from: src + row * stride, count: width)
        }
        count = width * height
    }
}

/// Copies a tightly packed plane into a destination with its own stride.
func copyI420Plane(_ plane: [UInt8], width: Int, height: Int, to dst: UnsafeMutablePointer<UInt8>, stride: Int) {
    plane.withUnsafeBufferPointer { src in
        guard let s = src.baseAddress else { return }
        for row in 0..<height {
            (dst + row * stride).update(from: s + row * width, count: width)
        }
    }
}
