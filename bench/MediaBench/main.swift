import Foundation
import Glibc
import WebexMedia

// media-bench: the media benchmarks of issues 6 and 8 (P3 send-pipeline CPU, P4 loopback latency, P5
// device capture and audio processing CPU). They print
// side-by-side measurements and ratios; they are not tests. bench/media.sh runs them all; see bench/README.md.

let usage = """
    usage: media-bench p3 [--size WxH] [--fps N] [--codec vp8|h264] [--seconds S] [--bitrate KBPS]
                          [--webex PATH] [--python PATH --aiortc-peer PATH] [--work-dir DIR]
                          [--rounds N] [--only all|pipeline|raw]
           media-bench p4 [--size WxH] [--fps N] [--codec vp8|h264] [--seconds S]
           media-bench p5 [--seconds S]
    """

func fail(_ message: String) -> Never {
    FileHandle.standardError.write((message + "\n").data(using: .utf8)!)
    exit(2)
}

var args = Array(CommandLine.arguments.dropFirst())
guard let command = args.first, ["p3", "p4", "p5"].contains(command) else { fail(usage) }
args.removeFirst()
var options: [String: String] = [:]
while !args.isEmpty {
    let key = args.removeFirst()
    guard key.hasPrefix("--"), !args.isEmpty else { fail("missing value for \(key)\n" + usage) }
    options[String(key.dropFirst(2))] = args.removeFirst()
}
let known: Set<String> = ["size", "fps", "codec", "seconds", "bitrate", "webex", "python", "aiortc-peer", "work-dir", "rounds", "only"]
for key in options.keys where !known.contains(key) { fail("unknown option --\(key)\n" + usage) }

let size = (options["size"] ?? "640x360").split(separator: "x").compactMap { Int($0) }
guard size.count == 2 else { fail("--size wants WxH, e.g. 1280x720") }
let fps = Int(options["fps"] ?? "30") ?? 30
let seconds = Double(options["seconds"] ?? "10") ?? 10
guard let codec = VideoCodecKind(rawValue: (options["codec"] ?? "vp8").uppercased()) else { fail("--codec is vp8 or h264") }

do {
    switch command {
    case "p3":
        let here = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent().path
        let work = options["work-dir"] ?? NSTemporaryDirectory() + "media-bench-\(getpid())"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        try P3.run(P3Options(
            width: size[0], height: size[1], fps: fps, codec: codec, seconds: seconds,
            bitrate: (Int(options["bitrate"] ?? "800") ?? 800) * 1000,
            webex: options["webex"] ?? here + "/webex", python: options["python"], aiortcPeer: options["aiortc-peer"],
            workDir: work, rounds: Int(options["rounds"] ?? "1") ?? 1, only: options["only"] ?? "all"))
    case "p5":
        try P5.run(seconds: seconds)
    default:
        try P4.run(P4Options(width: size[0], height: size[1], fps: fps, codec: codec, seconds: seconds))
    }
} catch {
    FileHandle.standardError.write("media-bench \(command): \(error)\n".data(using: .utf8)!)
    exit(1)
}
