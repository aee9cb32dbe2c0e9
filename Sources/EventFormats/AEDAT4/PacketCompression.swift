internal import CLZ4
internal import CZstd

/// The compression of AEDAT 4 packets (IOHeader.compression): each compressed packet is exactly one LZ4 frame or
/// one Zstandard frame; the HIGH variants only change the level.
public enum AEDAT4Compression: Int32, CaseIterable, Sendable {
    case none = 0, lz4 = 1, lz4High = 2, zstd = 3, zstdHigh = 4

    var name: String {
        switch self {
        case .none: "NONE"
        case .lz4: "LZ4"
        case .lz4High: "LZ4_HIGH"
        case .zstd: "ZSTD"
        case .zstdHigh: "ZSTD_HIGH"
        }
    }

    init(_ option: WriteOptions.Compression) {
        switch option {
        case .none: self = .none
        case .lz4: self = .lz4
        case .lz4High: self = .lz4High
        case .zstd: self = .zstd
        case .zstdHigh: self = .zstdHigh
        }
    }

    var isLZ4: Bool { self == .lz4 || self == .lz4High }
}

/// Decompresses one frame per call into a reused output buffer; owns the liblz4 and libzstd contexts.
final class FrameDecompressor {
    private var lz4: OpaquePointer?
    private var zstd: OpaquePointer?
    private(set) var output: UnsafeMutableRawPointer
    private var capacity: Int
    /// The most a packet may decompress to; a larger claim is a broken or hostile file.
    let maxOutput: Int

    init(maxOutput: Int = 1 << 28) {
        self.maxOutput = maxOutput
        // liblz4 decodes straight into the output only when a whole block (up to 4 MiB) fits.
        capacity = 1 << 22
        output = .allocate(byteCount: capacity, alignment: 16)
    }

    deinit {
        if let lz4 { LZ4F_freeDecompressionContext(lz4) }
        if let zstd { ZSTD_freeDCtx(zstd) }
        output.deallocate()
    }

    private func grow(keeping used: Int) -> Bool {
        guard capacity < maxOutput else { return false }
        let bigger = min(capacity * 2, maxOutput)
        let new = UnsafeMutableRawPointer.allocate(byteCount: bigger, alignment: 16)
        new.copyMemory(from: output, byteCount: used)
        output.deallocate()
        output = new
        capacity = bigger
        return true
    }

    /// Decompresses the frame in `src` and returns the number of bytes now at `output`. `fail` makes the error.
    func decompress(_ src: UnsafeRawPointer, count: Int, lz4Frame: Bool,
                    fail: (_ expected: String, _ found: String) -> EventFormatError) throws(EventFormatError) -> Int {
        lz4Frame ? try decompressLZ4(src, count: count, fail: fail) : try decompressZstd(src, count: count, fail: fail)
    }

    private func decompressLZ4(_ src: UnsafeRawPointer, count: Int,
                               fail: (String, String) -> EventFormatError) throws(EventFormatError) -> Int {
        if lz4 == nil {
            var ctx: OpaquePointer?
            guard !isLZ4Error(LZ4F_createDecompressionContext(&ctx, UInt32(LZ4F_VERSION))), ctx != nil else {
                throw fail("an LZ4 decompression context", "liblz4 could not create one")
            }
            lz4 = ctx
        }
        var read = 0, written = 0
        while true {
            var srcSize = count - read
            var dstSize = capacity - written
            var options = LZ4F_decompressOptions_t()
            options.stableDst = 1  // the output stays put between calls: no copy through liblz4's own buffer
            let hint = LZ4F_decompress(lz4, output + written, &dstSize, src + read, &srcSize, &options)
            if isLZ4Error(hint) {
                LZ4F_resetDecompressionContext(lz4)
                throw fail("a valid LZ4 frame", String(cString: LZ4F_getErrorName(hint)))
            }
            read += srcSize
            written += dstSize
            if hint == 0 {
                guard read == count else {
                    throw fail("one LZ4 frame filling the packet", "\(count - read) bytes after the frame")
                }
                return written
            }
            if written == capacity {
                guard grow(keeping: written) else {
                    LZ4F_resetDecompressionContext(lz4)
                    throw fail("at most \(maxOutput) decompressed bytes", "more")
                }
            } else if read == count {
                LZ4F_resetDecompressionContext(lz4)
                throw fail("a complete LZ4 frame", "the frame cut short after \(count) bytes")
            }
        }
    }

    private func decompressZstd(_ src: UnsafeRawPointer, count: Int,
                                fail: (String, String) -> EventFormatError) throws(EventFormatError) -> Int {
        if zstd == nil {
            zstd = ZSTD_createDCtx()
            guard zstd != nil else { throw fail("a Zstandard decompression context", "libzstd could not create one") }
        }
        let declared = ZSTD_getFrameContentSize(src, count)
        if declared != ZSTD_CONTENTSIZE_UNKNOWN && declared != ZSTD_CONTENTSIZE_ERROR && declared <= UInt64(maxOutput) {
            // The frame states its size: decode in one call straight into the output (no streaming window).
            while capacity < Int(declared) { _ = grow(keeping: 0) }
            let n = ZSTD_decompressDCtx(zstd, output, capacity, src, count)
            if ZSTD_isError(n) != 0 {
                throw fail("a valid Zstandard frame", String(cString: ZSTD_getErrorName(n)))
            }
            guard n == Int(declared) else {
                throw fail("\(declared) bytes as the frame header states", "\(n) bytes")
            }
            return n
        }
        var input = ZSTD_inBuffer(src: src, size: count, pos: 0)
        var written = 0
        while true {
            var out = ZSTD_outBuffer(dst: output + written, size: capacity - written, pos: 0)
            let hint = ZSTD_decompressStream(zstd, &out, &input)
            if ZSTD_isError(hint) != 0 {
                ZSTD_DCtx_reset(zstd, ZSTD_reset_session_only)
                throw fail("a valid Zstandard frame", String(cString: ZSTD_getErrorName(hint)))
            }
            written += out.pos
            if hint == 0 {
                guard input.pos == count else {
                    ZSTD_DCtx_reset(zstd, ZSTD_reset_session_only)
                    throw fail("one Zstandard frame filling the packet", "\(count - input.pos) bytes after the frame")
                }
                return written
            }
            if written == capacity {
                guard grow(keeping: written) else {
                    ZSTD_DCtx_reset(zstd, ZSTD_reset_session_only)
                    throw fail("at most \(maxOutput) decompressed bytes", "more")
                }
            } else if input.pos == count && out.pos == 0 {
                ZSTD_DCtx_reset(zstd, ZSTD_reset_session_only)
                throw fail("a complete Zstandard frame", "the frame cut short after \(count) bytes")
            }
        }
    }

    private func isLZ4Error(_ code: Int) -> Bool { LZ4F_isError(code) != 0 }
}

/// Compresses one packet into one frame, reusing the liblz4 / libzstd contexts.
final class FrameCompressor {
    let compression: AEDAT4Compression
    private var lz4: OpaquePointer?
    private var zstd: OpaquePointer?
    private var output: UnsafeMutableRawPointer
    private var capacity: Int

    init(_ compression: AEDAT4Compression) {
        self.compression = compression
        capacity = 1 << 16
        output = .allocate(byteCount: capacity, alignment: 16)
        if compression.isLZ4 {
            var ctx: OpaquePointer?
            let code = LZ4F_createCompressionContext(&ctx, UInt32(LZ4F_VERSION))
            precondition(LZ4F_isError(code) == 0 && ctx != nil, "liblz4 could not create a compression context")
            lz4 = ctx
        } else if compression != .none {
            zstd = ZSTD_createCCtx()
            precondition(zstd != nil, "libzstd could not create a compression context")
        }
    }

    deinit {
        if let lz4 { LZ4F_freeCompressionContext(lz4) }
        if let zstd { ZSTD_freeCCtx(zstd) }
        output.deallocate()
    }

    /// Compresses `count` bytes and hands the frame to `body`.
    func compress<R>(_ src: UnsafeRawPointer, count: Int, _ body: (UnsafeRawBufferPointer) throws(EventFormatError) -> R)
        throws(EventFormatError) -> R
    {
        switch compression {
        case .none:
            return try body(UnsafeRawBufferPointer(start: src, count: count))
        case .lz4, .lz4High:
            var prefs = LZ4F_preferences_t()
            prefs.compressionLevel = compression == .lz4High ? 9 : 0
            prefs.frameInfo.contentSize = UInt64(count)
            // One independent block per packet (packets are 64 KiB by default): decoded straight into the output.
            prefs.frameInfo.blockSizeID = LZ4F_max256KB
            prefs.frameInfo.blockMode = LZ4F_blockIndependent
            ensure(LZ4F_compressBound(count, &prefs) + 32)
            // Begin (frame header), update (blocks), end (end mark): one frame with the reused context.
            let head = LZ4F_compressBegin(lz4, output, capacity, &prefs)
            checkLZ4(head)
            let blocks = LZ4F_compressUpdate(lz4, output + head, capacity - head, src, count, nil)
            checkLZ4(blocks)
            let end = LZ4F_compressEnd(lz4, output + head + blocks, capacity - head - blocks, nil)
            checkLZ4(end)
            return try body(UnsafeRawBufferPointer(start: output, count: head + blocks + end))
        case .zstd, .zstdHigh:
            ensure(ZSTD_compressBound(count))
            let level: Int32 = compression == .zstdHigh ? 19 : 3
            let n = ZSTD_compressCCtx(zstd, output, capacity, src, count, level)
            precondition(ZSTD_isError(n) == 0, "Zstandard compression failed: \(String(cString: ZSTD_getErrorName(n)))")
            return try body(UnsafeRawBufferPointer(start: output, count: n))
        }
    }

    private func checkLZ4(_ code: Int) {
        precondition(LZ4F_isError(code) == 0, "LZ4 compression failed: \(String(cString: LZ4F_getErrorName(code)))")
    }

    private func ensure(_ bound: Int) {
        guard bound > capacity else { return }
        output.deallocate()
        capacity = bound
        output = .allocate(byteCount: capacity, alignment: 16)
    }
}
