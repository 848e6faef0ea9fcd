import CShims
import CVPX

/// VP8 real-time encoder (libvpx): CBR, error resilient, no lag, one thread, keyframes only on request or every
/// `keyframeInterval` frames, no frame dropping (every input frame gives an output frame).
public final class VP8Encoder: VideoEncoder {
    public let width: Int
    public let height: Int
    public let framesPerSecond: Int
    public var codecName: String { "VP8" }
    public private(set) var bitrate: Int

    private let ctx = UnsafeMutablePointer<vpx_codec_ctx_t>.allocate(capacity: 1)
    private let cfg = UnsafeMutablePointer<vpx_codec_enc_cfg_t>.allocate(capacity: 1)
    private let image: UnsafeMutablePointer<vpx_image_t>
    private var pts: Int64 = 0
    private var pendingBitrate: Int?

    /// - Parameters:
    ///   - bitrate: bits per second.
    ///   - cpuUsed: libvpx speed; negative values adapt the speed to the real-time deadline (WebRTC uses -6).
    public init(width: Int, height: Int, framesPerSecond: Int, bitrate: Int, cpuUsed: Int = -6,
                keyframeInterval: Int = 3000) throws {
        guard width >= 2, height >= 2, width <= 16_384, height <= 16_384, framesPerSecond > 0, bitrate > 0 else {
            ctx.deallocate(); cfg.deallocate()
            throw MediaError(.invalidInput, "VP8 encoder: invalid settings \(width)x\(height)@\(framesPerSecond), \(bitrate) bps.")
        }
        self.width = width
        self.height = height
        self.framesPerSecond = framesPerSecond
        self.bitrate = bitrate
        guard let img = vpx_img_alloc(nil, VPX_IMG_FMT_I420, UInt32(width), UInt32(height), 16) else {
            ctx.deallocate(); cfg.deallocate()
            throw MediaError(.codec, "VP8 encoder: could not allocate a \(width)x\(height) image.")
        }
        image = img
        var rc = vpx_codec_enc_config_default(vpx_codec_vp8_cx(), cfg, 0)
        guard rc == VPX_CODEC_OK else {
            vpx_img_free(img); ctx.deallocate(); cfg.deallocate()
            throw MediaError(.codec, "VP8 encoder: no default configuration (\(vpxErrorText(rc))).")
        }
        cfg.pointee.g_w = UInt32(width)
        cfg.pointee.g_h = UInt32(height)
        cfg.pointee.g_timebase = vpx_rational(num: 1, den: Int32(framesPerSecond))
        cfg.pointee.g_threads = 1
        cfg.pointee.g_lag_in_frames = 0
        cfg.pointee.g_error_resilient = vpx_codec_er_flags_t(VPX_ERROR_RESILIENT_DEFAULT)
        cfg.pointee.g_pass = VPX_RC_ONE_PASS
        cfg.pointee.rc_end_usage = VPX_CBR
        cfg.pointee.rc_target_bitrate = UInt32(max(1, bitrate / 1000))
        cfg.pointee.rc_dropframe_thresh = 0
        cfg.pointee.rc_resize_allowed = 0
        cfg.pointee.rc_min_quantizer = 2
        cfg.pointee.rc_max_quantizer = 56
        cfg.pointee.rc_undershoot_pct = 100
        cfg.pointee.rc_overshoot_pct = 15
        cfg.pointee.rc_buf_initial_sz = 500
        cfg.pointee.rc_buf_optimal_sz = 600
        cfg.pointee.rc_buf_sz = 1000
        cfg.pointee.kf_mode = VPX_KF_AUTO
        cfg.pointee.kf_min_dist = 0
        cfg.pointee.kf_max_dist = UInt32(max(1, keyframeInterval))
        rc = webex_vpx_vp8_enc_init(ctx, cfg)
        guard rc == VPX_CODEC_OK else {
            vpx_img_free(img); ctx.deallocate(); cfg.deallocate()
            throw MediaError(.codec, "VP8 encoder could not be initialised: \(vpxErrorText(rc)).")
        }
        let controls: [(vp8e_enc_control_id, Int32)] = [
            (VP8E_SET_CPUUSED, Int32(cpuUsed)),
            (VP8E_SET_NOISE_SENSITIVITY, 0),
            (VP8E_SET_STATIC_THRESHOLD, 1),
            (VP8E_SET_TOKEN_PARTITIONS, Int32(VP8_ONE_TOKENPARTITION.rawValue)),
            (VP8E_SET_MAX_INTRA_BITRATE_PCT, 900),  // keyframes at most 9x an average frame
        ]
        for (id, value) in controls {
            let r = webex_vpx_control_int(ctx, Int32(id.rawValue), value)
            if r != VPX_CODEC_OK {
                vpx_codec_destroy(ctx); vpx_img_free(img); ctx.deallocate(); cfg.deallocate()
                throw MediaError(.codec, "VP8 encoder rejected control \(id.rawValue)=\(value): \(vpxErrorText(r)).")
            }
        }
    }

    deinit {
        vpx_codec_destroy(ctx)
        vpx_img_free(image)
        ctx.deallocate()
        cfg.deallocate()
    }

    public func setBitrate(_ bitsPerSecond: Int) {
        guard bitsPerSecond > 0 else { return }
        pendingBitrate = bitsPerSecond
    }

    public func encode(_ frame: VideoFrame, forceKeyframe: Bool) throws -> EncodedVideoFrame? {
        try validateI420(frame, width: width, height: height, codec: "VP8")
        if let b = pendingBitrate {
            pendingBitrate = nil
            cfg.pointee.rc_target_bitrate = UInt32(max(1, b / 1000))
            let r = vpx_codec_enc_config_set(ctx, cfg)
            if r != VPX_CODEC_OK { throw MediaError(.codec, "VP8 encoder rejected bitrate \(b): \(vpxErrorText(r)).") }
            bitrate = b
        }
        let img = image.pointee
        let cw = (width + 1) / 2, ch = (height + 1) / 2
        copyI420Plane(frame.y, width: width, height: height, to: img.planes.0!, stride: Int(img.stride.0))
        copyI420Plane(frame.u, width: cw, height: ch, to: img.planes.1!, stride: Int(img.stride.1))
        copyI420Plane(frame.v, width: cw, height: ch, to: img.planes.2!, stride: Int(img.stride.2))
        let flags: vpx_enc_frame_flags_t = forceKeyframe ? vpx_enc_frame_flags_t(VPX_EFLAG_FORCE_KF) : 0
        let rc = vpx_codec_encode(ctx, image, pts, 1, flags, UInt(VPX_DL_REALTIME))
        pts += 1
        guard rc == VPX_CODEC_OK else { throw MediaError(.codec, "VP8 encoding failed: \(vpxErrorText(rc)).") }
        var data: [UInt8] = []
        var key = false
        var iter: vpx_codec_iter_t? = nil
        while let pkt = vpx_codec_get_cx_data(ctx, &iter) {
            guard pkt.pointee.kind == VPX_CODEC_CX_FRAME_PKT else { continue }
            let f = pkt.pointee.data.frame
            if let buf = f.buf, f.sz > 0 {
                data.append(contentsOf: UnsafeRawBufferPointer(start: buf, count: Int(f.sz)))
            }
            if f.flags & vpx_codec_frame_flags_t(VPX_FRAME_IS_KEY) != 0 { key = true }
        }
        guard !data.isEmpty else { return nil }
        return EncodedVideoFrame(data: data, isKeyframe: key, width: width, height: height, timestamp: frame.timestamp)
    }
}

/// VP8 decoder (libvpx), one thread, I420 out. Throws when libvpx reports the frame undecodable or corrupted
/// (truncated partitions). A whole lost frame cannot be seen here: the depacketizer's picture-ID gap check must
/// request a keyframe for that.
public final class VP8Decoder: VideoDecoder {
    private let ctx = UnsafeMutablePointer<vpx_codec_ctx_t>.allocate(capacity: 1)

    public init() throws {
        let rc = webex_vpx_vp8_dec_init(ctx)
        guard rc == VPX_CODEC_OK else {
            ctx.deallocate()
            throw MediaError(.codec, "VP8 decoder could not be initialised: \(vpxErrorText(rc)).")
        }
    }

    deinit {
        vpx_codec_destroy(ctx)
        ctx.deallocate()
    }

    public func decode(_ data: [UInt8], timestamp: UInt64) throws -> VideoFrame? {
        guard !data.isEmpty else { return nil }
        let rc = data.withUnsafeBufferPointer { vpx_codec_decode(ctx, $0.baseAddress, UInt32($0.count), nil, 0) }
        guard rc == VPX_CODEC_OK else {
            throw MediaError(.codec, "VP8 decoding failed: \(vpxErrorText(rc)); a keyframe is needed.")
        }
        var corrupted: Int32 = 0
        if webex_vpx_control_get_int(ctx, Int32(VP8D_GET_FRAME_CORRUPTED.rawValue), &corrupted) == VPX_CODEC_OK, corrupted != 0 {
            throw MediaError(.codec, "VP8 frame is corrupted (data missing); a keyframe is needed.")
        }
        var iter: vpx_codec_iter_t? = nil
        var result: VideoFrame?
        while let img = vpx_codec_get_frame(ctx, &iter) {
            let i = img.pointee
            guard i.fmt == VPX_IMG_FMT_I420, let py = i.planes.0, let pu = i.planes.1, let pv = i.planes.2 else {
                throw MediaError(.codec, "VP8 decoder produced an unsupported image format (\(i.fmt.rawValue)).")
            }
            let w = Int(i.d_w), h = Int(i.d_h), cw = (w + 1) / 2, ch = (h + 1) / 2
            result = VideoFrame(
                width: w, height: h,
                y: copyI420Plane(from: py, stride: Int(i.stride.0), width: w, height: h),
                u: copyI420Plane(from: pu, stride: Int(i.stride.1), width: cw, height: ch),
                v: copyI420Plane(from: pv, stride: Int(i.stride.2), width: cw, height: ch),
                timestamp: timestamp)
        }
        return result
    }
}

func vpxErrorText(_ rc: vpx_codec_err_t) -> String {
    guard let s = vpx_codec_err_to_string(rc) else { return "error \(rc.rawValue)" }
    return String(cString: s)
}
