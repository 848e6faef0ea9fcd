import WebexMedia

/// libFuzzer entry point for the STUN parser, TURN's ChannelData/TCP framing and ICE candidate lines (built with `--sanitize=fuzzer` by scripts/fuzz.sh; a plain
/// build makes it a binary that does nothing).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    WebexMedia.fuzzSTUN(bytes)
    WebexMedia.fuzzTURN(bytes)
    WebexMedia.fuzzICECandidate(bytes)
    return 0
}
