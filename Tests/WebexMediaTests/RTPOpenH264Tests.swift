import COpenH264
import Testing
@testable import WebexMedia

/// Real OpenH264 bitstreams through H264Payloader (small MTU: STAP-A + FU-A) and H264Depacketizer,
/// then decoded by OpenH264: proves the depacketizer's Annex B output is what the decoder wants.
@Suite struct RTPOpenH264Tests {
    static func encodeFrames(count: Int, width: Int32, height: Int32) throws -> [[UInt8]] {
        var encoder: UnsafeMutablePointer<ISVCEncoder?>?
        try #require(WelsCreateSVCEncoder(&encoder) == 0)
        let enc = try #require(encoder)
        defer { WelsDestroySVCEncoder(enc) }
        var param = SEncParamBase()
        param.iUsageType = CAMERA_VIDEO_REAL_TIME
        param.fMaxFrameRate = 30
        param.iPicWidth = width
        param.iPicHeight = height
        param.iTargetBitrate = 800_000
        param.iRCMode = RC_BITRATE_MODE
        try #require(enc.pointee!.pointee.Initialize(enc, &param) == 0)
        defer { _ = enc.pointee!.pointee.Uninitialize(enc) }
        let w = Int(width), h = Int(height)
        var frames: [[UInt8]] = []
        for n in 0..<count {
            var y = [UInt8](repeating: 0, count: w * h)
            for r in 0..<h { for c in 0..<w { y[r * w + c] = UInt8(truncatingIfNeeded: (c + n * 4) ^ r) } }
            var u = [UInt8](repeating: 100, count: w * h / 4)
            var v = [UInt8](repeating: 150, count: w * h / 4)
            var info = SFrameBSInfo()
            let rc: Int32 = y.withUnsafeMutableBufferPointer { yp in
                u.withUnsafeMutableBufferPointer { up in
                    v.withUnsafeMutableBufferPointer { vp in
                        var pic = SSourcePicture()
                        pic.iColorFormat = Int32(videoFormatI420.rawValue)
                        pic.iPicWidth = width
                        pic.iPicHeight = height
                        pic.iStride = (width, width / 2, width / 2, 0)
                        pic.pData = (yp.baseAddress, up.baseAddress, vp.baseAddress, nil)
                        pic.uiTimeStamp = Int64(n * 33)
                        return enc.pointee!.pointee.EncodeFrame(enc, &pic, &info)
                    }
                }
            }
            try #require(rc == 0)
            var bytes: [UInt8] = []
            withUnsafeBytes(of: &info.sLayerInfo) { raw in
                let layers = raw.bindMemory(to: SLayerBSInfo.self)
                for i in 0..<Int(info.iLayerNum) {
                    let layer = layers[i]
                    var total = 0
                    for k in 0..<Int(layer.iNalCount) { total += Int(layer.pNalLengthInByte[k]) }
                    if let buf = layer.pBsBuf { bytes += UnsafeBufferPointer(start: buf, count: total) }
                }
            }
            if !bytes.isEmpty { frames.append(bytes) }
        }
        return frames
    }

    @Test func encodedFramesSurvivePacketizationAndDecode() throws {
        let width: Int32 = 176, height: Int32 = 144
        let frames = try Self.encodeFrames(count: 5, width: width, height: height)
        try #require(frames.count == 5)

        var decoder: UnsafeMutablePointer<ISVCDecoder?>?
        try #require(WelsCreateDecoder(&decoder) == 0)
        let dec = try #require(decoder)
        defer { WelsDestroyDecoder(dec) }
        var dparam = SDecodingParam()
        dparam.sVideoProperty.eVideoBsType = VIDEO_BITSTREAM_AVC
        try #require(dec.pointee!.pointee.Initialize(dec, &dparam) == 0)
        defer { _ = dec.pointee!.pointee.Uninitialize(dec) }

        let payloader = H264Payloader(maxPayloadSize: 300)
        let depacketizer = H264Depacketizer()
        var seq: UInt16 = 65530
        var decoded = 0
        var sawSTAP = false, sawFU = false
        for (n, frame) in frames.enumerated() {
            let payloads = payloader.packetize(frame)
            #expect(payloads.allSatisfy { $0.count <= 300 })
            sawSTAP = sawSTAP || payloads.contains { $0[0] & 0x1F == 24 }
            sawFU = sawFU || payloads.contains { $0[0] & 0x1F == 28 }
            var au: [UInt8]?
            for (i, p) in payloads.enumerated() {
                au = depacketizer.push(payload: p, sequenceNumber: seq, timestamp: UInt32(n * 3000), marker: i == payloads.count - 1)
                seq &+= 1
            }
            let unit = try #require(au)
            // OpenH264 writes 4-byte start codes, so the access unit comes back byte for byte
            #expect(unit == frame)
            var planes: [UnsafeMutablePointer<UInt8>?] = [nil, nil, nil]
            var buffer = SBufferInfo()
            let state = unit.withUnsafeBufferPointer { bp in
                planes.withUnsafeMutableBufferPointer { pp in
                    dec.pointee!.pointee.DecodeFrameNoDelay(dec, bp.baseAddress, Int32(bp.count), pp.baseAddress, &buffer)
                }
            }
            #expect(state == dsErrorFree)
            if buffer.iBufferStatus == 1 {
                #expect(buffer.UsrData.sSystemBuffer.iWidth == width && buffer.UsrData.sSystemBuffer.iHeight == height)
                decoded += 1
            }
        }
        #expect(sawSTAP && sawFU)
        #expect(decoded == 5)
        #expect(depacketizer.lostFrames == 0)
    }
}
