import CShims
import Glibc

/// A camera through libv4l2: asks for I420 (`V4L2_PIX_FMT_YUV420`; libv4lconvert converts from YUYV, MJPEG,
/// NV12 … when the driver does not offer it), at the supported size and rate nearest to what was asked, and
/// streams with 4 mmap buffers. `read()` waits for the next frame (paced by the camera, `isLive`).
/// Use it from one thread at a time.
public final class V4L2Camera: VideoSource {
    public let path: String
    public let requestedWidth: Int
    public let requestedHeight: Int
    public let requestedFramesPerSecond: Int
    /// What the camera delivers (the nearest supported size and rate).
    public private(set) var actualWidth = 0
    public private(set) var actualHeight = 0
    public private(set) var actualFramesPerSecond: Double = 0
    /// The camera's card name (QUERYCAP).
    public private(set) var name = ""
    /// True when libv4l2 converts into I420 (the driver does not deliver it itself).
    public private(set) var converted = false
    /// What was picked and why, one sentence each.
    public private(set) var notes: [String] = []
    /// Frames the driver's sequence numbers say were lost between two reads.
    public private(set) var framesDropped = 0
    /// Frames the driver flagged V4L2_BUF_FLAG_ERROR (returned anyway; they may show glitches).
    public private(set) var framesCorrupted = 0
    /// Frames returned by `read()`.
    public private(set) var framesRead = 0
    /// True when the last frame's timestamp came from the driver (CLOCK_MONOTONIC), false when it is the
    /// time `read()` got it.
    public private(set) var lastTimestampFromDevice = false
    /// How long `read()` waits for a frame before it reports a stall.
    public var stallTimeoutMillis = 2_000

    public var width: Int { actualWidth }
    public var height: Int { actualHeight }
    public var framesPerSecond: Int { max(1, Int(actualFramesPerSecond.rounded())) }
    public var isLive: Bool { true }

    private var device: V4L2Handle?
    private var buffers: [(pointer: UnsafeMutableRawPointer, length: Int)] = []
    private var streaming = false
    private var bytesPerLine = 0
    private var lastSequence: UInt32?

    /// Opens `path` and starts streaming. Throws `MediaError` with a sentence (missing, busy, not a camera,
    /// no I420 through libv4l2, libv4l2 missing).
    public init(path: String, width: Int = 1280, height: Int = 720, framesPerSecond: Int = 30) throws {
        self.path = path
        requestedWidth = width
        requestedHeight = height
        requestedFramesPerSecond = framesPerSecond
        guard (1...16_384).contains(width), (1...16_384).contains(height), (1...1_000).contains(framesPerSecond) else {
            throw MediaError(.invalidInput,
                "Camera size \(width)x\(height) at \(framesPerSecond) fps is out of range: use e.g. 1280x720 at 30 fps.")
        }
        let device = try V4L2Handle(path: path, nonBlocking: true)
        self.device = device
        do {
            try start(device)
        } catch {
            close()
            throw error
        }
    }

    deinit { close() }

    private func start(_ device: V4L2Handle) throws {
        let caps = try device.captureCapability()
        name = caps.card
        guard caps.caps & UInt32(V4L2_CAP_STREAMING) != 0 else {
            throw MediaError(.unsupported, "The camera \(path) (\(caps.card)) does not support streaming I/O (mmap), which webex needs.")
        }
        let i420 = WEBEX_V4L2_PIX_FMT_YUV420
        let offer = device.offers(pixelFormat: i420)
        guard offer.offered else {
            let list = device.formats().map(\.fourcc).joined(separator: ", ")
            throw MediaError(.unsupported,
                "The camera \(path) offers no format libv4l2 can convert to I420 (it offers: \(list.isEmpty ? "none" : list)).")
        }
        converted = offer.emulated

        // Size: the nearest one the camera lists for I420 (libv4l2 lists the driver's sizes for emulated formats).
        let (w, h) = nearestSize(device, pixelFormat: i420)
        var fmt = v4l2_format()
        fmt.type = V4L2_BUF_TYPE_VIDEO_CAPTURE.rawValue
        fmt.fmt.pix.width = UInt32(w)
        fmt.fmt.pix.height = UInt32(h)
        fmt.fmt.pix.pixelformat = i420
        fmt.fmt.pix.field = V4L2_FIELD_NONE.rawValue
        var e = device.ioctl(WEBEX_VIDIOC_S_FMT, &fmt)
        if e == EINVAL || e == ENOTTY { // some drivers want progressive-or-any: let them choose the field
            fmt.fmt.pix.field = V4L2_FIELD_ANY.rawValue
            e = device.ioctl(WEBEX_VIDIOC_S_FMT, &fmt)
        }
        if e != 0 { throw V4L2Handle.error(path: path, errno: e, doing: "S_FMT \(w)x\(h) I420") }
        guard fmt.fmt.pix.pixelformat == i420 else {
            throw MediaError(.unsupported,
                "The camera \(path) would not deliver I420 (it chose \(fourccString(fmt.fmt.pix.pixelformat))).")
        }
        actualWidth = Int(fmt.fmt.pix.width)
        actualHeight = Int(fmt.fmt.pix.height)
        guard actualWidth > 0, actualHeight > 0 else {
            throw MediaError(.io, "The camera \(path) reported an empty frame size (\(actualWidth)x\(actualHeight)).")
        }
        bytesPerLine = max(Int(fmt.fmt.pix.bytesperline), actualWidth)

        // Rate: the nearest listed rate at that size, set with S_PARM and read back.
        let wantFPS = Double(requestedFramesPerSecond)
        let pickFPS = device.nearestRate(pixelFormat: i420, width: actualWidth, height: actualHeight, to: wantFPS) ?? wantFPS
        var parm = v4l2_streamparm()
        parm.type = V4L2_BUF_TYPE_VIDEO_CAPTURE.rawValue
        if device.ioctl(WEBEX_VIDIOC_G_PARM, &parm) == 0,
           parm.parm.capture.capability & UInt32(V4L2_CAP_TIMEPERFRAME) != 0 {
            parm.parm.capture.timeperframe = Self.interval(forRate: pickFPS)
            let se = device.ioctl(WEBEX_VIDIOC_S_PARM, &parm)
            if se != 0 { notes.append("S_PARM failed (\(V4L2Handle.errnoText(se))); the camera keeps its own frame rate.") }
            var got = v4l2_streamparm()
            got.type = V4L2_BUF_TYPE_VIDEO_CAPTURE.rawValue
            if device.ioctl(WEBEX_VIDIOC_G_PARM, &got) == 0, let fps = V4L2Handle.rate(got.parm.capture.timeperframe) {
                actualFramesPerSecond = fps
            } else {
                actualFramesPerSecond = pickFPS
            }
        } else {
            actualFramesPerSecond = pickFPS
            notes.append("The camera cannot set its frame rate (no V4L2_CAP_TIMEPERFRAME); assuming \(Self.format(pickFPS)) fps.")
        }

        let source = converted ? " (converted to I420 by libv4l2)" : " (I420 from the driver)"
        notes.insert(
            "Asked for \(requestedWidth)x\(requestedHeight) at \(requestedFramesPerSecond) fps; using \(actualWidth)x\(actualHeight) at \(Self.format(actualFramesPerSecond)) fps\(source).",
            at: 0)

        try startStreaming(device)
    }

    private func nearestSize(_ device: V4L2Handle, pixelFormat: UInt32) -> (Int, Int) {
        let tw = requestedWidth, th = requestedHeight
        if let range = device.sizeRange(pixelFormat: pixelFormat) {
            func fit(_ v: Int, _ lo: UInt32, _ hi: UInt32, _ step: UInt32) -> Int {
                let lo = Int(lo), hi = max(Int(hi), Int(lo)), step = max(Int(step), 1)
                let c = min(max(v, lo), hi)
                return min(lo + ((c - lo) + step / 2) / step * step, hi)
            }
            return (fit(tw, range.min_width, range.max_width, range.step_width),
                    fit(th, range.min_height, range.max_height, range.step_height))
        }
        let (sizes, _) = device.frameSizes(pixelFormat: pixelFormat)
        // Squared distance in width and height; ties go to the larger size (scale down rather than up).
        let best = sizes.min { a, b in
            let da = (a.width - tw) * (a.width - tw) + (a.height - th) * (a.height - th)
            let db = (b.width - tw) * (b.width - tw) + (b.height - th) * (b.height - th)
            return da != db ? da < db : a.width * a.height > b.width * b.height
        }
        return best.map { ($0.width, $0.height) } ?? (tw, th)   // nothing listed: let S_FMT adjust
    }

    private func startStreaming(_ device: V4L2Handle) throws {
        var req = v4l2_requestbuffers()
        req.count = 4
        req.type = V4L2_BUF_TYPE_VIDEO_CAPTURE.rawValue
        req.memory = V4L2_MEMORY_MMAP.rawValue
        var e = device.ioctl(WEBEX_VIDIOC_REQBUFS, &req)
        if e != 0 { throw V4L2Handle.error(path: path, errno: e, doing: "REQBUFS") }
        guard req.count >= 2 else {
            throw MediaError(.io, "The camera \(path) gave only \(req.count) capture buffer(s); at least 2 are needed. Close other programs using it and try again.")
        }
        for index in 0..<req.count {
            var buf = v4l2_buffer()
            buf.index = index
            buf.type = V4L2_BUF_TYPE_VIDEO_CAPTURE.rawValue
            buf.memory = V4L2_MEMORY_MMAP.rawValue
            e = device.ioctl(WEBEX_VIDIOC_QUERYBUF, &buf)
            if e != 0 { throw V4L2Handle.error(path: path, errno: e, doing: "QUERYBUF \(index)") }
            let length = Int(buf.length)
            guard let p = webex_v4l2_mmap(nil, length, PROT_READ | PROT_WRITE, MAP_SHARED, device.fd, Int64(buf.m.offset)),
                  p != MAP_FAILED else {
                throw V4L2Handle.error(path: path, errno: errno, doing: "mmap buffer \(index)")
            }
            buffers.append((p, length))
        }
        for index in 0..<req.count {
            var buf = v4l2_buffer()
            buf.index = index
            buf.type = V4L2_BUF_TYPE_VIDEO_CAPTURE.rawValue
            buf.memory = V4L2_MEMORY_MMAP.rawValue
            e = device.ioctl(WEBEX_VIDIOC_QBUF, &buf)
            if e != 0 { throw V4L2Handle.error(path: path, errno: e, doing: "QBUF \(index)") }
        }
        var type = Int32(V4L2_BUF_TYPE_VIDEO_CAPTURE.rawValue)
        e = device.ioctl(WEBEX_VIDIOC_STREAMON, &type)
        if e != 0 { throw V4L2Handle.error(path: path, errno: e, doing: "STREAMON") }
        streaming = true
    }

    /// The next frame (I420, tightly packed), blocking until the camera delivers it, at most
    /// `stallTimeoutMillis` (then a `MediaError(.io)` that says the camera stalled). nil after `close()`.
    public func read() throws -> VideoFrame? {
        guard let device, streaming else { return nil }
        var buf = v4l2_buffer()
        let deadline = MediaClock.nowMicros() + UInt64(max(stallTimeoutMillis, 1)) * 1_000
        var readyButEmpty = false
        while true {
            buf = v4l2_buffer()
            buf.type = V4L2_BUF_TYPE_VIDEO_CAPTURE.rawValue
            buf.memory = V4L2_MEMORY_MMAP.rawValue
            let e = device.ioctl(WEBEX_VIDIOC_DQBUF, &buf)
            if e == 0 { break }
            guard e == EAGAIN else { throw V4L2Handle.error(path: path, errno: e, doing: "DQBUF") }
            let now = MediaClock.nowMicros()
            guard now < deadline else {
                throw MediaError(.io,
                    "The camera \(path) sent no frame for \(Self.format(Double(stallTimeoutMillis) / 1000)) s (unplugged or stalled): check its cable and that no other program holds it, then restart the video.")
            }
            if readyButEmpty {
                // poll said readable but there was no frame (e.g. a file-backed fake): do not spin.
                usleep(1_000)
            }
            var pfd = pollfd(fd: device.fd, events: Int16(POLLIN), revents: 0)
            let wait = Int32(min((deadline - now) / 1_000 + 1, 100))
            let r = poll(&pfd, 1, wait)
            readyButEmpty = r > 0
            if r < 0 && errno != EINTR { throw V4L2Handle.error(path: path, errno: errno, doing: "poll") }
        }
        defer {
            var back = v4l2_buffer()
            back.index = buf.index
            back.type = V4L2_BUF_TYPE_VIDEO_CAPTURE.rawValue
            back.memory = V4L2_MEMORY_MMAP.rawValue
            _ = device.ioctl(WEBEX_VIDIOC_QBUF, &back)   // a failure shows up as ENODEV/stall on the next read
        }
        let received = MediaClock.nowMicros()
        guard Int(buf.index) < buffers.count else {
            throw MediaError(.io, "The camera \(path) returned buffer \(buf.index), but only \(buffers.count) were mapped.")
        }
        if buf.flags & UInt32(V4L2_BUF_FLAG_ERROR) != 0 { framesCorrupted += 1 }
        if let last = lastSequence, buf.sequence > last &+ 1, buf.sequence &- last < 1_000_000 {
            framesDropped += Int(buf.sequence &- last &- 1)
        }
        lastSequence = buf.sequence

        let frame = try copyFrame(buffers[Int(buf.index)], bytesUsed: Int(buf.bytesused), timestamp: timestamp(of: buf, received: received))
        framesRead += 1
        return frame
    }

    /// The driver's CLOCK_MONOTONIC timestamp when it has one that makes sense, else the time we got the frame.
    private func timestamp(of buf: v4l2_buffer, received: UInt64) -> UInt64 {
        let kind = buf.flags & UInt32(V4L2_BUF_FLAG_TIMESTAMP_MASK)
        if kind == UInt32(V4L2_BUF_FLAG_TIMESTAMP_MONOTONIC), buf.timestamp.tv_sec > 0 || buf.timestamp.tv_usec > 0 {
            let t = UInt64(buf.timestamp.tv_sec) &* 1_000_000 &+ UInt64(buf.timestamp.tv_usec)
            if t <= received, received - t < 10_000_000 {   // not from the future, not from another boot's clock
                lastTimestampFromDevice = true
                return t
            }
        }
        lastTimestampFromDevice = false
        return received
    }

    private func copyFrame(_ buffer: (pointer: UnsafeMutableRawPointer, length: Int), bytesUsed: Int, timestamp: UInt64) throws -> VideoFrame {
        let w = actualWidth, h = actualHeight
        let cw = (w + 1) / 2, ch = (h + 1) / 2
        let ystride = bytesPerLine, cstride = (bytesPerLine + 1) / 2
        let needed = ystride * h + 2 * cstride * ch
        let available = bytesUsed > 0 ? min(bytesUsed, buffer.length) : buffer.length
        guard available >= needed - (cstride - cw) else {   // the last chroma row may stop at its width
            throw MediaError(.io,
                "The camera \(path) delivered a short frame (\(available) bytes, \(w)x\(h) I420 needs \(needed)); the driver or libv4l2 conversion failed.")
        }
        let src = UnsafeRawBufferPointer(start: buffer.pointer, count: available)
        func plane(offset: Int, stride: Int, width: Int, rows: Int) -> [UInt8] {
            [UInt8](unsafeUninitializedCapacity: width * rows) { out, count in
                for row in 0..<rows {
                    let start = offset + row * stride
                    let n = min(width, max(0, available - start))
                    if n > 0 {
                        memcpy(out.baseAddress! + row * width, src.baseAddress! + start, n)
                    }
                    if n < width { (out.baseAddress! + row * width + n).initialize(repeating: 128, count: width - n) }
                }
                count = width * rows
            }
        }
        let y = plane(offset: 0, stride: ystride, width: w, rows: h)
        let u = plane(offset: ystride * h, stride: cstride, width: cw, rows: ch)
        let v = plane(offset: ystride * h + cstride * ch, stride: cstride, width: cw, rows: ch)
        return VideoFrame(width: w, height: h, y: y, u: u, v: v, timestamp: timestamp)
    }

    /// STREAMOFF, unmap the buffers, close the device. Safe to call twice.
    public func close() {
        guard let device else { return }
        if streaming {
            var type = Int32(V4L2_BUF_TYPE_VIDEO_CAPTURE.rawValue)
            _ = device.ioctl(WEBEX_VIDIOC_STREAMOFF, &type)
            streaming = false
        }
        for b in buffers { _ = webex_v4l2_munmap(b.pointer, b.length) }
        buffers.removeAll()
        device.close()
        self.device = nil
    }

    static func interval(forRate fps: Double) -> v4l2_fract {
        // Exact for whole rates; 1000/1001-style rates keep three decimals.
        if fps == fps.rounded() { return v4l2_fract(numerator: 1, denominator: UInt32(max(fps, 1))) }
        return v4l2_fract(numerator: 1000, denominator: UInt32((fps * 1000).rounded()))
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String((value * 100).rounded() / 100)
    }
}
