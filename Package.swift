// swift-tools-version:6.2
import PackageDescription

// Layout and module rules: see ../shared/DESIGN.md (CLI -> SDK -> Media -> C shims; the emulator never imports WebexSDK).
let package = Package(
    name: "webex",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "webex", targets: ["webex"]),
        .executable(name: "webex-emulator", targets: ["webex-emulator"]),
        .library(name: "WebexSDK", targets: ["WebexSDK"]),
        .library(name: "WebexEmulator", targets: ["WebexEmulator"]),
        .library(name: "WebexMedia", targets: ["WebexMedia"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        // Used by the emulator directly; they also come with Hummingbird.
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        // C libraries: one system-library target each (module map + header only).
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CJQ", providers: [.apt(["libjq-dev"])]),
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
        // Media libraries: their module maps carry no link line, WebexMedia links them statically below.
        .systemLibrary(name: "CSRTP", providers: [.apt(["libsrtp2-dev"])]),
        .systemLibrary(name: "COpus", providers: [.apt(["libopus-dev"])]),
        .systemLibrary(name: "CVPX", providers: [.apt(["libvpx-dev"])]),
        .systemLibrary(name: "COpenH264", providers: [.apt(["libopenh264-dev"])]),
        // The one C target: typed wrappers for what Swift cannot call (variadic curl_easy_setopt/getinfo).
        .target(name: "CShims", dependencies: ["CCurl", "COpenSSL"]),

        // The media engine. Debian's static archives of the codec libraries are linked in, so the dynamic
        // loader does no work for them when a REST command starts (measured: about 4 ms per start when they
        // are shared libraries). libsrtp2 is opened with dlopen when a media session first needs it: Debian
        // builds it on NSS (five more shared libraries) and srtp_init runs self-tests for about 19 ms.
        // OpenSSL stays shared: the REST path loads it anyway. The C++ runtime is already loaded by Swift's.
        // Echo cancellation, noise suppression and gain control: speexdsp (the default) and WebRTC's audio
        // processing (0.3, C++) behind one C API, both linked statically from Debian's archives.
        .target(
            name: "CAudioProcessing",
            cxxSettings: [
                .define("WEBRTC_AUDIO_PROCESSING_ONLY_BUILD"), .define("WEBRTC_POSIX"),
                .unsafeFlags(["-I/usr/include/webrtc_audio_processing"]),
            ],
            linkerSettings: [.unsafeFlags([
                "-Xlinker", "-Bstatic", "-Xlinker", "-lwebrtc_audio_processing", "-Xlinker", "-lspeexdsp",
                "-Xlinker", "-Bdynamic", "-Xlinker", "-lstdc++", "-Xlinker", "-lm",
            ])]),
        .target(
            name: "WebexMedia",
            dependencies: ["CShims", "CAudioProcessing", "COpenSSL", "CSRTP", "COpus", "CVPX", "COpenH264"],
            linkerSettings: [
                .unsafeFlags([
                    "-Xlinker", "-Bstatic",
                    "-Xlinker", "-lopus", "-Xlinker", "-lvpx", "-Xlinker", "-lopenh264",
                    "-Xlinker", "-Bdynamic",
                    "-Xlinker", "-lstdc++", "-Xlinker", "-lm",
                ])
            ]
        ),
        .target(name: "WebexSDK", dependencies: ["CCurl", "CShims", "COpenSSL", "WebexMedia"]),
        .executableTarget(
            name: "webex",
            dependencies: [
                "WebexSDK", "CJQ",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                // `webex webhooks serve` is a small HTTP server.
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),

        .target(name: "WebexEmulator", dependencies: [
            "COpenSSL",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdCore", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOCore", package: "swift-nio"),
            // The events websocket (Mercury) is NIO's websocket upgrader with our own answers to refused upgrades.
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOWebSocket", package: "swift-nio"),
            .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
            .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "UnixSignals", package: "swift-service-lifecycle"),
        ]),
        .executableTarget(name: "webex-emulator", dependencies: [
            "WebexEmulator",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // libFuzzer targets for the media parsers (scripts/fuzz.sh builds them with --sanitize=fuzzer).
        .executableTarget(name: "FuzzSTUN", dependencies: ["WebexMedia"], path: "Fuzz/FuzzSTUN"),
        .executableTarget(name: "FuzzRTP", dependencies: ["WebexMedia"], path: "Fuzz/FuzzRTP"),
        .executableTarget(name: "FuzzRTCP", dependencies: ["WebexMedia"], path: "Fuzz/FuzzRTCP"),
        .executableTarget(name: "FuzzSDP", dependencies: ["WebexMedia"], path: "Fuzz/FuzzSDP"),

        // Media benchmarks (bench/README.md): P3 send-pipeline CPU and P4 loopback latency.
        .executableTarget(name: "media-bench", dependencies: ["WebexMedia"], path: "bench/MediaBench"),

        .testTarget(name: "WebexSDKTests", dependencies: ["WebexSDK"]),
        // The V4L2 tests run this child under `unshare -m` with the fake camera plugin mounted in place.
        .executableTarget(name: "v4l2-check", dependencies: ["WebexMedia"], path: "Sources/v4l2-check"),
        .testTarget(name: "WebexMediaTests", dependencies: ["WebexMedia", "COpenH264", "v4l2-check"]),
        .testTarget(name: "webexTests", dependencies: ["webex", "WebexSDK"]),
        .testTarget(name: "WebexEmulatorTests", dependencies: ["WebexEmulator"]),
        .testTarget(name: "EndToEndTests", dependencies: ["webex", "webex-emulator", "WebexSDK"]),
    ]
)
