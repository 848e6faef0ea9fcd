import CShims
import Glibc

/// One frame size a camera offers, with the frame rates it offers at that size.
public struct CameraFrameSize: Sendable, Encodable, Equatable {
    public var width: Int
    public var height: Int
    /// Frame rates, highest first. For a stepwise/continuous range: its two ends.
    public var framesPerSecond: [Double]
}

/// A pixel format a camera offers.
public struct CameraFormat: Sendable, Encodable, Equatable {
    /// The four-character code, e.g. "YUYV", "MJPG", "YU12" (I420).
    public var fourcc: String
    public var description: String
    /// True when libv4l2 converts into this format from one the driver delivers (libv4lconvert).
    public var emulated: Bool
    /// Discrete sizes; for a stepwise/continuous range, its smallest and largest size.
    public var sizes: [CameraFrameSize]
    /// True when the driver accepts any size in a range (`sizes` holds the range's ends).
    public var sizeRange: Bool
}

/// A V4L2 video capture device.
public struct CameraInfo: Sendable, Encodable, Equatable {
    public var path: String
    /// The card name (VIDIOC_QUERYCAP `card`), e.g. "HD Pro Webcam C920".
    public var name: String
    public var driver: String
    public var busInfo: String
    public var formats: [CameraFormat]
}

/// Lists cameras through libv4l2 (loaded with dlopen on first use).
public enum V4L2Devices {
    /// Cameras at `paths`, or at every `/dev/video*` when nil. Nodes that cannot be opened or do not capture
    /// video (e.g. UVC metadata nodes) are left out; use `info(path:)` to learn why one is missing.
    public static func list(paths: [String]? = nil) -> [CameraInfo] {
        (paths ?? videoNodes()).compactMap { try? info(path: $0) }
    }

    /// QUERYCAP + ENUM_FMT + ENUM_FRAMESIZES + ENUM_FRAMEINTERVALS for one device.
    public static func info(path: String) throws -> CameraInfo {
        let device = try V4L2Handle(path: path)
        defer { device.close() }
        let caps = try device.captureCapability()
        return CameraInfo(
            path: path, name: caps.card, driver: caps.driver, busInfo: caps.busInfo,
            formats: device.formats())
    }

    /// `/dev/video*`, in numeric order.
    static func videoNodes() -> [String] {
        guard let dir = opendir("/dev") else { return [] }
        defer { closedir(dir) }
        var found: [(Int, String)] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            guard name.hasPrefix("video"), let n = Int(name.dropFirst(5)) else { continue }
            found.append((n, "/dev/" + name))
        }
        return found.sorted { $0.0 < $1.0 }.map(\.1)
    }
}

/// The four characters of a V4L2 fourcc.
func fourccString(_ code: UInt32) -> String {
    let bytes = (0..<4).map { UInt8(truncatingIfNeeded: code >> (8 * $0)) }
    return String(decoding: bytes.map { (32...126).contains($0) ? $0 : UInt8(ascii: "?") }, as: UTF8.self)
        .trimmingSpaces()
}

extension String {
    fileprivate func trimmingSpaces() -> String {
        var s = Substring(self)
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}

/// Text of a fixed-size C char array (a tuple), up to its first NUL.
func cString<T>(_ tuple: T) -> String {
    withUnsafeBytes(of: tuple) { raw in String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self) }
}

/// An open libv4l2 file descriptor with the ioctls listing and the camera share.
final class V4L2Handle {
    let path: String
    private(set) var fd: Int32

    init(path: String, nonBlocking: Bool = false) throws {
        self.path = path
        try Self.precheck(path)
        guard webex_v4l2_load() == 0 else { throw V4L2Handle.libraryError() }
        let fd = path.withCString { webex_v4l2_open($0, O_RDWR | (nonBlocking ? O_NONBLOCK : 0)) }
        guard fd >= 0 else { throw V4L2Handle.error(path: path, errno: errno, doing: "open") }
        self.fd = fd
    }

    deinit { close() }

    /// Rejects directories, and character devices that answer QUERYCAP with ENOTTY, before libv4l2 sees them
    /// (libv4l2 and its plugins print to stderr for non-V4L2 files). Regular files go on to libv4l2, whose
    /// plugins may claim them (the test fake camera does).
    private static func precheck(_ path: String) throws {
        var st = stat()
        guard stat(path, &st) == 0 else { return }   // v4l2_open reports the error
        if st.st_mode & S_IFMT == S_IFDIR {
            throw MediaError(.io, "\(path) is a directory, not a camera. `webex media devices` lists the cameras.")
        }
        guard st.st_mode & S_IFMT == S_IFCHR else { return }
        let raw = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC)
        guard raw >= 0 else { return }
        var cap = v4l2_capability()
        let r = Glibc.ioctl(raw, WEBEX_VIDIOC_QUERYCAP, &cap)
        let e = errno
        Glibc.close(raw)
        if r < 0 && e == ENOTTY { throw error(path: path, errno: ENOTTY, doing: "QUERYCAP") }
    }

    func close() {
        if fd >= 0 { _ = webex_v4l2_close(fd); fd = -1 }
    }

    /// One ioctl; -1 → errno, 0 → ok. Retries EINTR.
    func ioctl<T>(_ request: UInt, _ arg: inout T) -> Int32 {
        while true {
            let r = withUnsafeMutablePointer(to: &arg) { webex_v4l2_ioctl(fd, request, UnsafeMutableRawPointer($0)) }
            if r == -1 && errno == EINTR { continue }
            return r == -1 ? errno : 0
        }
    }

    struct Capability { var driver, card, busInfo: String; var caps: UInt32 }

    /// QUERYCAP, requiring video capture.
    func captureCapability() throws -> Capability {
        var cap = v4l2_capability()
        let e = ioctl(WEBEX_VIDIOC_QUERYCAP, &cap)
        if e != 0 { throw V4L2Handle.error(path: path, errno: e, doing: "QUERYCAP") }
        let caps = cap.capabilities & UInt32(V4L2_CAP_DEVICE_CAPS) != 0 ? cap.device_caps : cap.capabilities
        guard caps & UInt32(V4L2_CAP_VIDEO_CAPTURE) != 0 else {
            throw MediaError(.unsupported,
                "\(path) (\(cString(cap.card))) is not a video capture device (it may be a metadata or output node). `webex media devices` lists the cameras.")
        }
        return Capability(driver: cString(cap.driver), card: cString(cap.card), busInfo: cString(cap.bus_info), caps: caps)
    }

    func formats() -> [CameraFormat] {
        var result: [CameraFormat] = []
        for index in 0..<64 {
            var desc = v4l2_fmtdesc()
            desc.index = UInt32(index)
            desc.type = V4L2_BUF_TYPE_VIDEO_CAPTURE.rawValue
            guard ioctl(WEBEX_VIDIOC_ENUM_FMT, &desc) == 0 else { break }
            let (sizes, isRange) = frameSizes(pixelFormat: desc.pixelformat)
            result.append(CameraFormat(
                fourcc: fourccString(desc.pixelformat), description: cString(desc.description),
                emulated: desc.flags & UInt32(V4L2_FMT_FLAG_EMULATED) != 0, sizes: sizes, sizeRange: isRange))
        }
        return result
    }

    /// True when ENUM_FMT lists `pixelFormat`; the flag says whether libv4l2 emulates it.
    func offers(pixelFormat: UInt32) -> (offered: Bool, emulated: Bool) {
        for index in 0..<64 {
            var desc = v4l2_fmtdesc()
            desc.index = UInt32(index)
            desc.type = V4L2_BUF_TYPE_VIDEO_CAPTURE.rawValue
            guard ioctl(WEBEX_VIDIOC_ENUM_FMT, &desc) == 0 else { break }
            if desc.pixelformat == pixelFormat { return (true, desc.flags & UInt32(V4L2_FMT_FLAG_EMULATED) != 0) }
        }
        return (false, false)
    }

    /// Sizes for a format; a stepwise/continuous range gives its two ends and `true`.
    func frameSizes(pixelFormat: UInt32) -> ([CameraFrameSize], Bool) {
        var sizes: [CameraFrameSize] = []
        for index in 0..<256 {
            var s = v4l2_frmsizeenum()
            s.index = UInt32(index)
            s.pixel_format = pixelFormat
            guard ioctl(WEBEX_VIDIOC_ENUM_FRAMESIZES, &s) == 0 else { break }
            if s.type == V4L2_FRMSIZE_TYPE_DISCRETE.rawValue {
                let w = Int(s.discrete.width), h = Int(s.discrete.height)
                sizes.append(CameraFrameSize(width: w, height: h, framesPerSecond: frameRates(pixelFormat: pixelFormat, width: w, height: h)))
            } else {
                let sw = s.stepwise
                let ends = [(Int(sw.min_width), Int(sw.min_height)), (Int(sw.max_width), Int(sw.max_height))]
                return (ends.map { CameraFrameSize(width: $0.0, height: $0.1, framesPerSecond: frameRates(pixelFormat: pixelFormat, width: $0.0, height: $0.1)) }, true)
            }
        }
        return (sizes, false)
    }

    /// The stepwise description of the first ENUM_FRAMESIZES entry, when the sizes form a range.
    func sizeRange(pixelFormat: UInt32) -> v4l2_frmsize_stepwise? {
        var s = v4l2_frmsizeenum()
        s.pixel_format = pixelFormat
        guard ioctl(WEBEX_VIDIOC_ENUM_FRAMESIZES, &s) == 0, s.type != V4L2_FRMSIZE_TYPE_DISCRETE.rawValue else { return nil }
        return s.stepwise
    }

    /// Frame rates at one size, highest first.
    func frameRates(pixelFormat: UInt32, width: Int, height: Int) -> [Double] {
        var rates: [Double] = []
        for index in 0..<64 {
            var i = v4l2_frmivalenum()
            i.index = UInt32(index)
            i.pixel_format = pixelFormat
            i.width = UInt32(width)
            i.height = UInt32(height)
            guard ioctl(WEBEX_VIDIOC_ENUM_FRAMEINTERVALS, &i) == 0 else { break }
            if i.type == V4L2_FRMIVAL_TYPE_DISCRETE.rawValue {
                if let fps = Self.rate(i.discrete) { rates.append(fps) }
            } else {
                // A range of intervals: the shortest interval is the highest rate.
                for f in [i.stepwise.min, i.stepwise.max] { if let fps = Self.rate(f) { rates.append(fps) } }
                break
            }
        }
        var unique: [Double] = []
        for r in rates.sorted(by: >) where !unique.contains(where: { abs($0 - r) < 0.001 }) { unique.append(r) }
        return unique
    }

    /// The supported rate nearest to `fps` at one size: a listed rate, or `fps` clamped into a range.
    func nearestRate(pixelFormat: UInt32, width: Int, height: Int, to fps: Double) -> Double? {
        var first = v4l2_frmivalenum()
        first.pixel_format = pixelFormat
        first.width = UInt32(width)
        first.height = UInt32(height)
        if ioctl(WEBEX_VIDIOC_ENUM_FRAMEINTERVALS, &first) == 0, first.type != V4L2_FRMIVAL_TYPE_DISCRETE.rawValue,
           let fast = Self.rate(first.stepwise.min), let slow = Self.rate(first.stepwise.max) {
            return min(max(fps, min(fast, slow)), max(fast, slow))
        }
        return frameRates(pixelFormat: pixelFormat, width: width, height: height)
            .min { abs($0 - fps) != abs($1 - fps) ? abs($0 - fps) < abs($1 - fps) : $0 > $1 }
    }

    /// Frames per second of an interval (seconds per frame), nil for 0/x or x/0.
    static func rate(_ f: v4l2_fract) -> Double? {
        guard f.numerator > 0, f.denominator > 0 else { return nil }
        return (Double(f.denominator) / Double(f.numerator) * 1000).rounded() / 1000
    }

    static func libraryError() -> MediaError {
        let why = webex_v4l2_load_error().map { String(cString: $0) } ?? "unknown reason"
        return MediaError(.unsupported,
            "Cannot use cameras: libv4l2 could not be loaded (\(why)). Install it (Debian/Ubuntu: apt-get install libv4l-0).")
    }

    /// A sentence for a failed call on the device at `path`.
    static func error(path: String, errno e: Int32, doing what: String) -> MediaError {
        switch e {
        case ENOSYS:
            return libraryError()
        case ENOENT:
            return MediaError(.io, "There is no camera at \(path). `webex media devices` lists the cameras.")
        case ENODEV, ENXIO, EIO:
            return MediaError(.io, "The camera \(path) is gone (\(what): \(errnoText(e))): it was unplugged or its driver failed. Plug it back in, or pick another camera (`webex media devices` lists them).")
        case EACCES, EPERM:
            return MediaError(.io, "No permission to open the camera \(path). Add the user to the 'video' group (then log in again), or check the device's permissions.")
        case EBUSY:
            return MediaError(.io, "The camera \(path) is busy: another program is using it. Close that program and try again.")
        case ENOTTY:
            return MediaError(.io, "\(path) is not a V4L2 video device (\(what): \(errnoText(e))). `webex media devices` lists the cameras.")
        default:
            return MediaError(.io, "The camera \(path) failed (\(what): \(errnoText(e))).")
        }
    }

    static func errnoText(_ e: Int32) -> String {
        String(cString: strerror(e))
    }
}
