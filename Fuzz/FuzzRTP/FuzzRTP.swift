import WebexMedia

/// libFuzzer entry point for the RTP parser and what reads RTP payloads (the H.264 and VP8
/// depacketizers, the jitter buffer, NACK and receive statistics) (built with `--sanitize=fuzzer` by scripts/fuzz.sh; a plain
/// build makes it a binary that does nothing).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    WebexMedia.fuzzRTP(bytes)
    WebexMedia.fuzzDepacketizers(bytes)
    WebexMedia.fuzzReceivePath(bytes)
    return 0
}
