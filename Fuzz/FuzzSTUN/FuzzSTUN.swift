import WebexMedia

/// libFuzzer entry point for the STUN parser (built with `--sanitize=fuzzer` by scripts/fuzz.sh; a plain
/// build makes it a binary that does nothing).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    WebexMedia.fuzzSTUN(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
