// v4l2-check: the child process of V4L2Tests. It runs inside `unshare -m` with the fake-camera plugin
// bind-mounted over libv4l's plugin folder, exercises V4L2Devices and V4L2Camera against fake devices in
// the folder given as its argument, and prints one JSON object (the test asserts on it).
import Foundation
import WebexMedia

struct FrameCheck: Encodable {
    var frames = 0
    var contentErrors: [String] = []
    var firstIndex = -1
    var indexGaps = 0
    var timestampsIncreasing = true
    var timestampsFromDevice = true
    var framesDropped = 0
    var measuredFPS = 0.0
    /// CPU time of read() (DQBUF, libv4lconvert YUYV->I420, copy into VideoFrame), per frame.
    var readCPUMillisPerFrame = 0.0
    var width = 0, height = 0
    var ySize = 0, uSize = 0, vSize = 0
}
struct Negotiation: Encodable {
    var asked: String
    var width = 0, height = 0
    var fps = 0.0
    var converted = false
    var notes: [String] = []
    var error: String?
}
struct Failure: Encodable {
    var framesBefore = 0
    var secondsToError = 0.0
    var error: String?
}
struct Report: Encodable {
    var libv4l2MappedAtStart = false
    var libv4l2MappedAfterList = false
    var cameras: [CameraInfo] = []
    var negotiations: [Negotiation] = []
    var stream = FrameCheck()
    var drops = FrameCheck()
    var rangeStream = FrameCheck()
    var directory: String?
    var stall = Failure()
    var unplug = Failure()
    var missing: String?
    var notACamera: String?
}

func libv4l2Mapped() -> Bool {
    ((try? String(contentsOfFile: "/proc/self/maps", encoding: .utf8)) ?? "").contains("libv4l2.so")
}

/// The fake draws frame n as Y(x,y) = (x+y+n), U(cx) = (2cx+n), V(cx) = (3cx+7), all mod 256.
/// `full` checks every pixel; otherwise every 7th row and column (keeps the debug-build reader near real time).
func check(_ f: VideoFrame, full: Bool) -> (index: Int, error: String?) {
    let n = Int(f.y[0])
    let step = full ? 1 : 7
    for y in stride(from: 0, to: f.height, by: step) { for x in stride(from: 0, to: f.width, by: step) where Int(f.y[y * f.width + x]) != (x + y + n) & 0xFF {
        return (n, "Y(\(x),\(y))=\(f.y[y * f.width + x]) expected \((x + y + n) & 0xFF)")
    } }
    let cw = f.chromaWidth
    for cy in stride(from: 0, to: f.chromaHeight, by: step) { for cx in stride(from: 0, to: cw, by: step) {
        if Int(f.u[cy * cw + cx]) != (2 * cx + n) & 0xFF { return (n, "U(\(cx),\(cy))=\(f.u[cy * cw + cx]) expected \((2 * cx + n) & 0xFF)") }
        if Int(f.v[cy * cw + cx]) != (3 * cx + 7) & 0xFF { return (n, "V(\(cx),\(cy))=\(f.v[cy * cw + cx]) expected \((3 * cx + 7) & 0xFF)") }
    } }
    return (n, nil)
}

func threadCPUMicros() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return UInt64(ts.tv_sec) * 1_000_000 + UInt64(ts.tv_nsec) / 1_000
}

func failure(_ path: String) -> Failure {
    var out = Failure()
    var last = MediaClock.nowMicros()
    do {
        let cam = try V4L2Camera(path: path, width: 640, height: 360, framesPerSecond: 30)
        last = MediaClock.nowMicros()
        while try cam.read() != nil {
            out.framesBefore += 1
            last = MediaClock.nowMicros()
            if out.framesBefore > 100 { break }
        }
    } catch {
        out.error = "\(error)"
    }
    out.secondsToError = Double(MediaClock.nowMicros() - last) / 1e6
    return out
}

// `v4l2-check --no-libv4l2 PATH`: run where libv4l2.so.0 cannot be loaded; prints {"camera":…, "info":…}.
if CommandLine.arguments.count > 2 && CommandLine.arguments[1] == "--no-libv4l2" {
    var errors: [String: String] = [:]
    do { _ = try V4L2Camera(path: CommandLine.arguments[2]) } catch { errors["camera"] = "\(error)" }
    do { _ = try V4L2Devices.info(path: CommandLine.arguments[2]) } catch { errors["info"] = "\(error)" }
    print(String(decoding: try JSONEncoder().encode(errors), as: UTF8.self))
    exit(0)
}

let dir = CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : "/tmp"
var report = Report()
report.libv4l2MappedAtStart = libv4l2Mapped()
report.cameras = V4L2Devices.list(paths: [dir + "/fakecam0", dir + "/missing-video9", dir + "/fakecam-range"])
report.libv4l2MappedAfterList = libv4l2Mapped()

for (name, w, h, fps) in [("fakecam0", 1280, 720, 15), ("fakecam0", 800, 450, 24), ("fakecam0", 1920, 1080, 60), ("fakecam0", 320, 180, 5),
                          ("fakecam-range", 1000, 500, 24), ("fakecam-range", 4000, 3000, 60), ("fakecam-range", 1280, 720, 2)] {
    var n = Negotiation(asked: "\(name) \(w)x\(h)@\(fps)")
    do {
        let cam = try V4L2Camera(path: dir + "/" + name, width: w, height: h, framesPerSecond: fps)
        n.width = cam.actualWidth; n.height = cam.actualHeight; n.fps = cam.actualFramesPerSecond
        n.converted = cam.converted; n.notes = cam.notes
        cam.close()
    } catch { n.error = "\(error)" }
    report.negotiations.append(n)
}

/// Streams `count` frames and checks each against the fake's pattern.
func stream(_ path: String, _ w: Int, _ h: Int, _ fps: Int, count: Int) -> FrameCheck {
    var s = FrameCheck()
    do {
        let cam = try V4L2Camera(path: path, width: w, height: h, framesPerSecond: fps)
        var prevIndex = -1
        var prevTS: UInt64 = 0
        var firstTS: UInt64 = 0
        var cpu: UInt64 = 0
        for _ in 0..<count {
            let c0 = threadCPUMicros()
            guard let f = try cam.read() else { break }
            cpu += threadCPUMicros() - c0
            let (index, error) = check(f, full: s.frames % 10 == 0 || s.frames == count - 1)
            if let error, s.contentErrors.count < 5 { s.contentErrors.append("frame \(s.frames): \(error)") }
            if s.frames == 0 { s.firstIndex = index; firstTS = f.timestamp } else if index != (prevIndex + 1) & 0xFF { s.indexGaps += 1 }
            if s.frames > 0 && f.timestamp <= prevTS { s.timestampsIncreasing = false }
            if !cam.lastTimestampFromDevice { s.timestampsFromDevice = false }
            prevIndex = index; prevTS = f.timestamp
            s.width = f.width; s.height = f.height
            s.ySize = f.y.count; s.uSize = f.u.count; s.vSize = f.v.count
            s.frames += 1
        }
        s.framesDropped = cam.framesDropped
        s.readCPUMillisPerFrame = Double(cpu) / 1000 / Double(max(s.frames, 1))
        if s.frames > 1 { s.measuredFPS = Double(s.frames - 1) / (Double(prevTS - firstTS) / 1e6) }
        cam.close()
        if (try? cam.read()) != nil { s.contentErrors.append("read() after close() returned a frame") }
    } catch {
        s.contentErrors.append("\(error)")
    }
    return s
}

report.stream = stream(dir + "/fakecam0", 1280, 720, 15, count: 30)
report.drops = stream(dir + "/fakecam-drops", 640, 360, 30, count: 10)
report.rangeStream = stream(dir + "/fakecam-range", 1000, 500, 24, count: 5)

report.stall = failure(dir + "/fakecam-stall")
report.unplug = failure(dir + "/fakecam-unplug")
do { _ = try V4L2Camera(path: dir + "/missing-video9") } catch { report.missing = "\(error)" }
do { _ = try V4L2Camera(path: dir + "/plain-file") } catch { report.notACamera = "\(error)" }
do { _ = try V4L2Camera(path: dir) } catch { report.directory = "\(error)" }

let encoder = JSONEncoder()
encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
print(String(decoding: try encoder.encode(report), as: UTF8.self))
