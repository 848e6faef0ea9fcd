import ArgumentParser
import Foundation
import WebexSDK

struct MediaDevices: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "devices",
        abstract: "List microphones, speakers (ALSA) and cameras (V4L2) with what they can do.",
        discussion: """
            Microphones and speakers are ALSA PCM names: pass one to --mic/--speaker (default, hw:CARD,DEV,
            plughw:…, or any PCM from your ~/.asoundrc). Cameras are /dev/video* paths with their formats, frame
            sizes and rates (formats libv4l2 converts to are marked "emulated"): pass one to --camera.
            """)
    @Flag(help: "Print JSON: {\"microphones\",\"speakers\",\"cameras\",\"notes\"}.") var json = false
    @Option(name: .customLong("camera"), parsing: .singleValue,
            help: ArgumentHelp("Also describe this camera path (repeatable; /dev/video* are always listed).", valueName: "path"))
    var cameraPaths: [String] = []

    struct Listing: Encodable {
        var microphones: [AudioDeviceInfo]
        var speakers: [AudioDeviceInfo]
        var cameras: [CameraInfo]
        var notes: [String]
    }

    func run() async throws {
        let io = CLIContext.current.io
        var notes: [String] = []
        var audio: [AudioDeviceInfo] = []
        do { audio = try ALSADevices.list() } catch let e as MediaError { notes.append(e.message) }
        // /dev/video* always; paths named with --camera too, with the reason when one is not a camera.
        var cameras = V4L2Devices.list()
        for path in cameraPaths where !cameras.contains(where: { $0.path == path }) {
            do { cameras.append(try V4L2Devices.info(path: path)) } catch let e as MediaError { notes.append(e.message) }
        }
        let listing = Listing(
            microphones: audio.filter(\.isCapture), speakers: audio.filter(\.isPlayback), cameras: cameras, notes: notes)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = io.stdoutIsTTY ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
            io.out(String(decoding: try encoder.encode(listing), as: UTF8.self) + "\n")
            return
        }
        var rows: [[String]] = []
        for m in listing.microphones { rows.append(["microphone", m.name, m.description]) }
        for s in listing.speakers { rows.append(["speaker", s.name, s.description]) }
        for c in cameras {
            let formats = c.formats.map { f in
                let sizes = f.sizes.map { s in "\(s.width)x\(s.height)" + (s.framesPerSecond.isEmpty ? "" : "@" + s.framesPerSecond.map { String(format: "%g", $0) }.joined(separator: "/")) }
                return f.fourcc + (f.emulated ? "*" : "") + " " + sizes.joined(separator: " ")
            }
            rows.append(["camera", c.path, ([c.name] + formats).joined(separator: "; ")])
        }
        let printer = TablePrinter(io: io)
        if io.stdoutIsTTY {
            printer.render(headers: ["KIND", "NAME", "DESCRIPTION"], rows: rows, truncatable: [false, false, true])
            if rows.isEmpty { io.err("no microphones, speakers or cameras found\n") }
        } else {
            for r in rows { printer.pipedRow(r) }
        }
        for n in notes { io.err("note: \(n)\n") }
    }
}
