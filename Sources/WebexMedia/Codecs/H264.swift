import COpenH264

/// H.264 constrained-baseline real-time encoder (OpenH264): one slice per frame, Annex B output, SPS and PPS in
/// front of every IDR (constant ids), IDR only on request or every `keyframeInterval` frames, no frame skipping.
public final class H264Encoder: VideoEncoder {
    public let width: Int
    public let height: Int
    public let framesPerSecond: Int
    public var codecName: String { "H264" }
    public private(set) var bitrate: Int

    private var encoder: UnsafeMutablePointer<ISVCEncoder?>
    private var frameIndex: Int64 = 0
    private var pendingBitrate: Int?
    private var yuv: [UInt8]

    public init(width: Int, height: Int, framesPerSecond: Int, bitrate: Int, keyframeInterval: Int = 3000) throws {
        guard width >= 16, height >= 16, width <= 4096, height <= 4096, width % 2 == 0, height % 2 == 0,
              framesPerSecond > 0, bitrate > 0 else {
            throw MediaError(.invalidInput, "H.264 encoder: invalid settings \(width)x\(height)@\(framesPerSecond), \(bitrate) bps (even sizes 16...4096).")
        }
        self.width = width
        self.height = height
        self.framesPerSecond = framesPerSecond
        self.bitrate = bitrate
        yuv = [UInt8](repeating: 0, count: width * height * 3 / 2)
        var enc: UnsafeMutablePointer<ISVCEncoder?>?
        guard WelsCreateSVCEncoder(&enc) == 0, let enc, let vt = enc.pointee?.pointee else {
            throw MediaError(.codec, "H.264 encoder (OpenH264) could not be created.")
        }
        encoder = enc
        var trace = Int32(WELS_LOG_QUIET)
        _ = vt.SetOption(enc, ENCODER_OPTION_TRACE_LEVEL, &trace)
        var param = SEncParamExt()
        _ = vt.GetDefaultParams(enc, &param)
        param.iUsageType = CAMERA_VIDEO_REAL_TIME
        param.iPicWidth = Int32(width)
        param.iPicHeight = Int32(height)
        param.iTargetBitrate = Int32(bitrate)
        param.iMaxBitrate = Int32(UNSPECIFIED_BIT_RATE)
        param.iRCMode = RC_BITRATE_MODE
        param.fMaxFrameRate = Float(framesPerSecond)
        param.bEnableFrameSkip = false
        param.uiIntraPeriod = UInt32(max(1, keyframeInterval))
        param.eSpsPpsIdStrategy = CONSTANT_ID
        param.iMultipleThreadIdc = 1
        param.iTemporalLayerNum = 1
        param.iSpatialLayerNum = 1
        param.iNumRefFrame = 1
        param.iEntropyCodingModeFlag = 0  // CAVLC: baseline
        param.bEnableDenoise = false
        param.bEnableBackgroundDetection = true
        param.bEnableAdaptiveQuant = true
        param.bEnableSceneChangeDetect = false  // IDR only when asked
        param.bEnableLongTermReference = false
        param.bPrefixNalAddingCtrl = false
        param.iComplexityMode = LOW_COMPLEXITY
        param.sSpatialLayers.0.iVideoWidth = Int32(width)
        param.sSpatialLayers.0.iVideoHeight = Int32(height)
        param.sSpatialLayers.0.fFrameRate = Float(framesPerSecond)
        param.sSpatialLayers.0.iSpatialBitrate = Int32(bitrate)
        param.sSpatialLayers.0.iMaxSpatialBitrate = Int32(UNSPECIFIED_BIT_RATE)
        param.sSpatialLayers.0.uiProfileIdc = PRO_BASELINE
        param.sSpatialLayers.0.uiLevelIdc = LEVEL_UNKNOWN  // auto; 3.1 fits up to 720p30
        param.sSpatialLayers.0.sSliceArgument.uiSliceMode = SM_SINGLE_SLICE
        param.sSpatialLayers.0.sSliceArgument.uiSliceNum = 1
        let rc = vt.InitializeExt(enc, &param)
        guard rc == 0 else {
            WelsDestroySVCEncoder(enc)
            throw MediaError(.codec, "H.264 encoder (OpenH264) rejected the settings \(width)x\(height)@\(framesPerSecond) \(bitrate) bps (code \(rc)).")
        }
        var format = Int32(videoFormatI420.rawValue)
        _ = vt.SetOption(enc, ENCODER_OPTION_DATAFORMAT, &format)
    }

    deinit {
        if let vt = encoder.pointee?.pointee { _ = vt.Uninitialize(encoder) }
        WelsDestroySVCEncoder(encoder)
    }

    public func setBitrate(_ bitsPerSecond: Int) {
        guard bitsPerSecond > 0 else { return }
        pendingBitrate = bitsPerSecond
    }

    public func encode(_ frame: VideoFrame, forceKeyframe: Bool) throws -> EncodedVideoFrame? {
        try validateI420(frame, width: width, height: height, codec: "H.264")
        guard let vt = encoder.pointee?.pointee else { throw MediaError(.codec, "H.264 encoder is not available.") }
        if let b = pendingBitrate {
            pendingBitrate = nil
            var info = SBitrateInfo(iLayer: SPATIAL_LAYER_ALL, iBitrate: Int32(b))
            let r = vt.SetOption(encoder, ENCODER_OPTION_BITRATE, &info)
            if r != 0 { throw MediaError(.codec, "H.264 encoder rejected bitrate \(b) (code \(r)).") }
            bitrate = b
        }
        if forceKeyframe { _ = vt.ForceIntraFrame(encoder, true) }
        let ySize = width * height, cSize = (width / 2) * (height / 2)
        var info = SFrameBSInfo()
        let rc: Int32 = yuv.withUnsafeMutableBufferPointer { buf in
            guard let base = buf.baseAddress else { return -1 }
            frame.y.withUnsafeBufferPointer { base.update(from: $0.baseAddress!, count: ySize) }
            frame.u.withUnsafeBufferPointer { (base + ySize).update(from: $0.baseAddress!, count: cSize) }
            frame.v.withUnsafeBufferPointer { (base + ySize + cSize).update(from: $0.baseAddress!, count: cSize) }
            var pic = SSourcePicture()
            pic.iColorFormat = Int32(videoFormatI420.rawValue)
            pic.iPicWidth = Int32(width)
            pic.iPicHeight = Int32(height)
            pic.iStride = (Int32(width), Int32(width / 2), Int32(width / 2), 0)
            pic.pData = (base, base + ySize, base + ySize + cSize, nil)
            pic.uiTimeStamp = frameIndex * 1000 / Int64(framesPerSecond)
            return vt.EncodeFrame(encoder, &pic, &info)
        }
        frameIndex += 1
        guard rc == 0 else { throw MediaError(.codec, "H.264 encoding failed (OpenH264 code \(rc)).") }
        if info.eFrameType == videoFrameTypeSkip || info.eFrameType == videoFrameTypeInvalid { return nil }
        var data: [UInt8] = []
        data.reserveCapacity(Int(max(0, info.iFrameSizeInBytes)))
        let layers = Int(max(0, min(info.iLayerNum, Int32(MAX_LAYER_NUM_OF_FRAME))))
        withUnsafePointer(to: &info.sLayerInfo) { tuple in
            tuple.withMemoryRebound(to: SLayerBSInfo.self, capacity: Int(MAX_LAYER_NUM_OF_FRAME)) { layer in
                for l in 0..<layers {
                    let li = layer[l]
                    guard let lengths = li.pNalLengthInByte, let buf = li.pBsBuf else { continue }
                    var size = 0
                    for n in 0..<Int(li.iNalCount) { size += Int(lengths[n]) }
                    data.append(contentsOf: UnsafeBufferPointer(start: buf, count: size))
                }
            }
        }
        guard !data.isEmpty else { return nil }
        return EncodedVideoFrame(data: data, isKeyframe: info.eFrameType == videoFrameTypeIDR,
                                 width: width, height: height, timestamp: frame.timestamp)
    }
}

/// H.264 decoder (OpenH264, no-delay mode, error concealment off so a broken reference is reported as an error
/// rather than shown as smeared video). Input: one access unit in Annex B form.
public final class H264Decoder: VideoDecoder {
    private var decoder: UnsafeMutablePointer<ISVCDecoder?>

    public init() throws {
        var dec: UnsafeMutablePointer<ISVCDecoder?>?
        guard WelsCreateDecoder(&dec) == 0, let dec, let vt = dec.pointee?.pointee else {
            throw MediaError(.codec, "H.264 decoder (OpenH264) could not be created.")
        }
        decoder = dec
        var trace = Int32(WELS_LOG_QUIET)
        _ = vt.SetOption(dec, DECODER_OPTION_TRACE_LEVEL, &trace)
        var param = SDecodingParam()
        param.eEcActiveIdc = ERROR_CON_DISABLE
        param.sVideoProperty.eVideoBsType = VIDEO_BITSTREAM_AVC
        param.sVideoProperty.size = UInt32(MemoryLayout<SVideoProperty>.size)
        guard vt.Initialize(dec, &param) == 0 else {
            WelsDestroyDecoder(dec)
            throw MediaError(.codec, "H.264 decoder (OpenH264) could not be initialised.")
        }
    }

    deinit {
        if let vt = decoder.pointee?.pointee { _ = vt.Uninitialize(decoder) }
        WelsDestroyDecoder(decoder)
    }

    public func decode(_ data: [UInt8], timestamp: UInt64) throws -> VideoFrame? {
        guard !data.isEmpty, data.count < Int(Int32.max), let vt = decoder.pointee?.pointee else { return nil }
        var planes: (UnsafeMutablePointer<UInt8>?, UnsafeMutablePointer<UInt8>?, UnsafeMutablePointer<UInt8>?) = (nil, nil, nil)
        var info = SBufferInfo()
        let state: DECODING_STATE = data.withUnsafeBufferPointer { src in
            withUnsafeMutablePointer(to: &planes) { p in
                p.withMemoryRebound(to: UnsafeMutablePointer<UInt8>?.self, capacity: 3) { pp in
                    vt.DecodeFrameNoDelay(decoder, src.baseAddress, Int32(src.count), pp, &info)
                }
            }
        }
        guard info.iBufferStatus == 1 else {
            if state.rawValue != 0 {
                throw MediaError(.codec, "H.264 decoding failed (OpenH264 state 0x\(String(state.rawValue, radix: 16))): a keyframe is needed.")
            }
            return nil
        }
        let sb = info.UsrData.sSystemBuffer
        let w = Int(sb.iWidth), h = Int(sb.iHeight)
        guard w > 0, h > 0, let py = info.pDst.0, let pu = info.pDst.1, let pv = info.pDst.2 else { return nil }
        let cw = (w + 1) / 2, ch = (h + 1) / 2
        return VideoFrame(
            width: w, height: h,
            y: copyI420Plane(from: py, stride: Int(sb.iStride.0), width: w, height: h),
            u: copyI420Plane(from: pu, stride: Int(sb.iStride.1), width: cw, height: ch),
            v: copyI420Plane(from: pv, stride: Int(sb.iStride.1), width: cw, height: ch),
            timestamp: timestamp)
    }
}
