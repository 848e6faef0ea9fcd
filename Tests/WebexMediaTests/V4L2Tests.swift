import CShims
import Foundation
import Testing
@testable import WebexMedia

/// What `v4l2-check` prints (see Sources/v4l2-check/main.swift).
private struct CheckReport: Decodable {
    struct Size: Decodable { var width: Int; var height: Int; var framesPerSecond: [Double] }
    struct Format: Decodable { var fourcc: String; var description: String; var emulated: Bool; var sizes: [Size]; var sizeRange: Bool }
    struct Camera: Decodable { var path: String; var name: String; var driver: String; var formats: [Format] }
    struct Negotiation: Decodable { var asked: String; var width: Int; var height: Int; var fps: Double; var converted: Bool; var notes: [String]; var error: String? }
    struct Stream: Decodable {
        var frames: Int; var contentErrors: [String]; var firstIndex: Int; var indexGaps: Int
        var timestampsIncreasing: Bool; var timestampsFromDevice: Bool; var measuredFPS: Double; var framesDropped: Int
        var readCPUMillisPerFrame: Double
        var width: Int; var height: Int; var ySize: Int; var uSize: Int; var vSize: Int
    }
    struct Failure: Decodable { var framesBefore: Int; var secondsToError: Double; var error: String? }
    var libv4l2MappedAtStart: Bool
    var libv4l2MappedAfterList: Bool
    var cameras: [Camera]
    var negotiations: [Negotiation]
    var stream: Stream
    var drops: Stream
    var rangeStream: Stream
    var directory: String?
    var stall: Failure
    var unplug: Failure
    var missing: String?
    var notACamera: String?
}

private let systemPlugins = "/usr/lib/x86_64-linux-gnu/libv4l/plugins"

private func run(_ tool: String, _ arguments: [String], stderrFile: URL) throws -> (status: Int32, out: String, err: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: tool)
    process.arguments = arguments
    let out = Pipe()
    process.standardOutput = out
    _ = FileManager.default.createFile(atPath: stderrFile.path, contents: nil)
    process.standardError = try FileHandle(forWritingTo: stderrFile)
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let err = (try? String(contentsOf: stderrFile, encoding: .utf8)) ?? ""
    return (process.terminationStatus, String(decoding: data, as: UTF8.self), err)
}

/// Builds the fake-camera plugin, mounts it over libv4l's plugin folder in a private mount namespace and runs
/// `v4l2-check` there; nil (with a recorded issue) when that is impossible.
private func runFakeCameraChild() throws -> CheckReport? {
    let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/fakecam/fakecam_plugin.c")
    guard let childPath = childPath() else {
        Issue.record("v4l2-check was not built next to the test binary (\(CommandLine.arguments[0])); run `swift build` first.")
        return nil
    }
    let temp = FileManager.default.temporaryDirectory.appendingPathComponent("webex-v4l2-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    let plugins = temp.appendingPathComponent("plugins"), devices = temp.appendingPathComponent("dev")
    try FileManager.default.createDirectory(at: plugins, withIntermediateDirectories: true)
    try FileManager.default.createDirectory(at: devices, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: temp) }

    let gcc = try run("/usr/bin/gcc", ["-O2", "-Wall", "-shared", "-fPIC", "-o", plugins.appendingPathComponent("libv4l-fakecam.so").path, fixture.path],
                      stderrFile: temp.appendingPathComponent("gcc.err"))
    guard gcc.status == 0 else {
        Issue.record("gcc could not build the fake camera plugin (exit \(gcc.status)): \(gcc.err)")
        return nil
    }
    // Keep the system's own plugin(s) next to ours, as they would be.
    for name in (try? FileManager.default.contentsOfDirectory(atPath: systemPlugins)) ?? [] where name.hasSuffix(".so") {
        try FileManager.default.copyItem(atPath: systemPlugins + "/" + name, toPath: plugins.appendingPathComponent(name).path)
    }
    for name in ["fakecam0", "fakecam-stall", "fakecam-unplug", "fakecam-drops", "fakecam-range"] {
        _ = FileManager.default.createFile(atPath: devices.appendingPathComponent(name).path, contents: Data())
    }
    _ = FileManager.default.createFile(atPath: devices.appendingPathComponent("plain-file").path, contents: Data("not a camera\n".utf8))

    let script = "mount --bind \"$1\" \(systemPlugins) && exec \"$2\" \"$3\""
    let result = try run("/usr/bin/unshare", ["-m", "--propagation", "private", "sh", "-c", script, "sh", plugins.path, childPath, devices.path],
                         stderrFile: temp.appendingPathComponent("child.err"))
    guard result.status == 0 else {
        Issue.record("""
            The fake-camera child failed (exit \(result.status)). It needs `unshare -m` and `mount --bind` (root, as in CI): \
            \(result.err.suffix(2000)) stdout: \(result.out.suffix(500))
            """)
        return nil
    }
    do {
        return try JSONDecoder().decode(CheckReport.self, from: Data(result.out.utf8))
    } catch {
        Issue.record("v4l2-check printed no valid JSON (\(error)): \(result.out.prefix(2000))")
        return nil
    }
}

private func childPath() -> String? {
    let next = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("v4l2-check")
    let fallback = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent(".build/debug/v4l2-check")
    return [next.path, fallback.path].first { FileManager.default.isExecutableFile(atPath: $0) }
}

@Suite("V4L2", .serialized)
struct V4L2Tests {
    @Test func fakeCameraThroughLibv4l2() throws {
        guard let report = try runFakeCameraChild() else { return }

        // dlopen rule: libv4l2 is not mapped until the first camera call.
        #expect(report.libv4l2MappedAtStart == false)
        #expect(report.libv4l2MappedAfterList == true)

        // Listing: the missing path is left out; the fake's YUYV plus libv4l2's emulated formats.
        #expect(report.cameras.map { ($0.path as NSString).lastPathComponent } == ["fakecam0", "fakecam-range"])
        let camera = try #require(report.cameras.first)
        #expect(camera.driver == "fakecam")
        #expect(camera.name == "Fake Camera (libv4l2 plugin)")
        #expect(camera.path.hasSuffix("/fakecam0"))
        let yuyv = try #require(camera.formats.first { $0.fourcc == "YUYV" })
        #expect(yuyv.emulated == false)
        #expect(yuyv.sizes.map { "\($0.width)x\($0.height)" } == ["640x360", "1280x720"])
        #expect(yuyv.sizes.allSatisfy { $0.framesPerSecond == [30, 15] })
        let i420 = try #require(camera.formats.first { $0.fourcc == "YU12" })
        #expect(i420.emulated == true)
        #expect(i420.sizes.map { "\($0.width)x\($0.height)" } == ["640x360", "1280x720"])
        #expect(i420.sizes.allSatisfy { $0.framesPerSecond == [30, 15] })
        #expect(camera.formats.map(\.fourcc) == ["YUYV", "RGB3", "BGR3", "YU12", "YV12"])
        #expect(i420.sizeRange == false)
        // A stepwise-size, continuous-rate camera: the range's ends.
        let ranged = try #require(report.cameras.last?.formats.first { $0.fourcc == "YU12" })
        #expect(ranged.sizeRange)
        #expect(ranged.sizes.map { "\($0.width)x\($0.height)" } == ["160x120", "1920x1080"])
        #expect(ranged.sizes.allSatisfy { $0.framesPerSecond == [30, 5] })

        // Negotiation: the nearest size and rate, and the notes say so.
        let picked = Dictionary(uniqueKeysWithValues: report.negotiations.map { ($0.asked, $0) })
        func expectPick(_ camera: String, _ asked: String, _ w: Int, _ h: Int, _ fps: Double) {
            guard let n = picked["\(camera) \(asked)"] else { Issue.record("no negotiation for \(camera) \(asked)"); return }
            #expect(n.error == nil, "\(asked): \(n.error ?? "")")
            #expect(n.width == w && n.height == h && n.fps == fps, "\(camera) \(asked) -> \(n.width)x\(n.height)@\(n.fps)")
            #expect(n.converted)
            #expect(n.notes.first == "Asked for \(asked.replacingOccurrences(of: "@", with: " at ")) fps; using \(w)x\(h) at \(Int(fps)) fps (converted to I420 by libv4l2).")
        }
        expectPick("fakecam0", "1280x720@15", 1280, 720, 15)
        expectPick("fakecam0", "800x450@24", 640, 360, 30)
        expectPick("fakecam0", "1920x1080@60", 1280, 720, 30)
        expectPick("fakecam0", "320x180@5", 640, 360, 15)
        expectPick("fakecam-range", "1000x500@24", 1008, 504, 24)   // rounded to the 16x8 steps
        expectPick("fakecam-range", "4000x3000@60", 1920, 1080, 30)  // clamped to the maximum
        expectPick("fakecam-range", "1280x720@2", 1280, 720, 5)      // clamped to the slowest rate

        // Streaming 30 frames at 1280x720@15 through mmap, YUYV converted to I420 by libv4lconvert.
        let s = report.stream
        #expect(s.frames == 30)
        #expect(s.contentErrors.isEmpty, "\(s.contentErrors)")
        #expect(s.firstIndex == 0)
        #expect(s.indexGaps == 0)
        #expect(s.width == 1280 && s.height == 720)
        #expect(s.ySize == 1280 * 720 && s.uSize == 640 * 360 && s.vSize == 640 * 360)
        #expect(s.timestampsIncreasing)
        #expect(s.timestampsFromDevice)
        #expect(s.measuredFPS > 12 && s.measuredFPS < 16, "measured \(s.measuredFPS) fps")
        #expect(s.framesDropped == 0)
        print("V4L2 fake camera: 1280x720@15 measured \(s.measuredFPS) fps, read() CPU \(s.readCPUMillisPerFrame) ms/frame")

        // Lost frames (sequence gaps 3, 7, 11) are counted; the pictures that arrive are intact.
        #expect(report.drops.frames == 10)
        #expect(report.drops.contentErrors.isEmpty, "\(report.drops.contentErrors)")
        #expect(report.drops.indexGaps == 3)
        #expect(report.drops.framesDropped == 3)

        // A size that is not a multiple of 4 rows/16 columns per plane: 1008x504 I420.
        let r = report.rangeStream
        #expect(r.frames == 5)
        #expect(r.contentErrors.isEmpty, "\(r.contentErrors)")
        #expect(r.width == 1008 && r.height == 504 && r.ySize == 1008 * 504 && r.uSize == 504 * 252)

        // A stall: 5 frames, then the 2 s timeout with the plan's sentence.
        #expect(report.stall.framesBefore == 5)
        let stall = try #require(report.stall.error)
        #expect(stall.hasPrefix("The camera ") && stall.contains("/fakecam-stall sent no frame for 2 s (unplugged or stalled): "))
        #expect(report.stall.secondsToError >= 1.9 && report.stall.secondsToError < 3.5, "\(report.stall.secondsToError) s")

        // Unplugged (ENODEV from DQBUF): at once, not after the stall timeout.
        #expect(report.unplug.framesBefore == 5)
        let unplug = try #require(report.unplug.error)
        #expect(unplug.contains("/fakecam-unplug is gone (DQBUF: No such device): it was unplugged"))
        #expect(report.unplug.secondsToError < 1)

        #expect(report.missing?.contains("There is no camera at ") == true)
        #expect(report.missing?.contains("`webex media devices` lists the cameras") == true)
        #expect(report.notACamera?.contains("/plain-file is not a V4L2 video device") == true)
        #expect(report.directory?.hasSuffix(" is a directory, not a camera. `webex media devices` lists the cameras.") == true)
    }

    @Test func missingLibv4l2IsAClearError() throws {
        guard let child = childPath() else {
            Issue.record("v4l2-check was not built next to the test binary; run `swift build` first.")
            return
        }
        let temp = FileManager.default.temporaryDirectory.appendingPathComponent("webex-nolib-\(getpid())")
        try FileManager.default.createDirectory(at: temp, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: temp) }
        let empty = temp.appendingPathComponent("empty.so")
        _ = FileManager.default.createFile(atPath: empty.path, contents: Data())
        // An empty file mounted over libv4l2.so.0 in a private mount namespace: dlopen fails there.
        let script = "mount --bind \"$1\" /usr/lib/x86_64-linux-gnu/libv4l2.so.0 && exec \"$2\" --no-libv4l2 /dev/video0"
        let result = try run("/usr/bin/unshare", ["-m", "--propagation", "private", "sh", "-c", script, "sh", empty.path, child],
                             stderrFile: temp.appendingPathComponent("err"))
        guard result.status == 0 else {
            Issue.record("The child failed (exit \(result.status)); it needs `unshare -m` and `mount --bind` (root, as in CI): \(result.err)")
            return
        }
        let errors = try JSONDecoder().decode([String: String].self, from: Data(result.out.utf8))
        for key in ["camera", "info"] {
            let message = errors[key] ?? ""
            #expect(message.hasPrefix("Cannot use cameras: libv4l2 could not be loaded ("), "\(key): \(message)")
            #expect(message.contains("libv4l2.so.0"), "\(key): \(message)")
            #expect(message.hasSuffix("). Install it (Debian/Ubuntu: apt-get install libv4l-0)."), "\(key): \(message)")
        }
    }

    @Test func missingDeviceIsAClearError() {
        let path = "/tmp/webex-no-such-camera-\(getpid())"
        do {
            _ = try V4L2Camera(path: path, width: 640, height: 360, framesPerSecond: 30)
            Issue.record("opened a missing camera")
        } catch let error as MediaError {
            #expect(error.kind == .io)
            #expect(error.message == "There is no camera at \(path). `webex media devices` lists the cameras.")
        } catch {
            Issue.record("unexpected error \(error)")
        }
        #expect(V4L2Devices.list(paths: [path]).isEmpty)
        #expect(throws: MediaError.self) { try V4L2Devices.info(path: path) }
    }

    @Test func regularFileIsNotACamera() throws {
        // Outside the fake-camera namespace, the fakecam name means nothing: libv4l2 sees a plain file.
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("webex-fakecam-plain-\(getpid())").path
        _ = FileManager.default.createFile(atPath: path, contents: Data("x".utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        // A character device that is not V4L2 is turned away before libv4l2 (and its stderr) sees it.
        do {
            _ = try V4L2Camera(path: "/dev/null")
            Issue.record("opened /dev/null as a camera")
        } catch let error as MediaError {
            #expect(error.message == "/dev/null is not a V4L2 video device (QUERYCAP: Inappropriate ioctl for device). `webex media devices` lists the cameras.")
        }
        #expect(V4L2Devices.list(paths: ["/dev/null"]).isEmpty)
        let pluginFolder = (try? FileManager.default.contentsOfDirectory(atPath: systemPlugins)) ?? []
        guard !pluginFolder.contains("libv4l-fakecam.so") else { return }   // a fake camera is installed system-wide
        do {
            _ = try V4L2Camera(path: path)
            Issue.record("opened a regular file as a camera")
        } catch let error as MediaError {
            #expect(error.kind == .io)
            #expect(error.message.hasPrefix("\(path) is not a V4L2 video device ("))
        }
    }

    @Test func badArgumentsAreRejectedBeforeOpening() {
        for (w, h, fps) in [(0, 720, 30), (1280, -1, 30), (1280, 720, 0), (100_000, 720, 30)] {
            do {
                _ = try V4L2Camera(path: "/dev/video0", width: w, height: h, framesPerSecond: fps)
                Issue.record("accepted \(w)x\(h)@\(fps)")
            } catch let error as MediaError {
                #expect(error.kind == .invalidInput)
                #expect(error.message.contains("out of range"))
            } catch {
                Issue.record("unexpected error \(error)")
            }
        }
    }

    @Test func scanFindsOnlyVideoNodes() {
        let nodes = V4L2Devices.videoNodes()
        #expect(nodes.allSatisfy { $0.hasPrefix("/dev/video") })
        #expect(V4L2Devices.list().count <= nodes.count)
    }

    @Test func helpers() {
        #expect(fourccString(WEBEX_V4L2_PIX_FMT_YUV420) == "YU12")
        #expect(fourccString(WEBEX_V4L2_PIX_FMT_YUYV) == "YUYV")
        #expect(fourccString(0) == "????")
        let i = V4L2Camera.interval(forRate: 15)
        #expect(i.numerator == 1 && i.denominator == 15)
        let ntsc = V4L2Camera.interval(forRate: 29.97)
        #expect(ntsc.numerator == 1000 && ntsc.denominator == 29970)
        #expect(V4L2Handle.rate(v4l2_fract(numerator: 1001, denominator: 30000)) == 29.97)
        #expect(V4L2Handle.rate(v4l2_fract(numerator: 0, denominator: 30)) == nil)
        #expect(webex_v4l2_load() == 0)
        #expect(webex_v4l2_load_error() == nil)
    }
}
