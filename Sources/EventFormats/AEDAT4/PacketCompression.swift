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

/// A growable, 16-byte-aligned byte buffer that packets are decompressed or copied into and reused from packet to
/// packet (one per read-ahead slot).
final class PacketBuffer: @unchecked Sendable {
    private(set) var bytes: UnsafeMutableRawPointer
    private(set) var capacity: Int
    /// Valid bytes at `bytes` (set by whoever fills the buffer).
    var count = 0

    init(capacity: Int = 1 << 22) {
        self.capacity = capacity
        bytes = .allocate(byteCount: capacity, alignment: 16)
    }

    deinit { bytes.deallocate() }

    /// Makes room for `needed` bytes, keeping the first `used`; false when that would pass `limit`.
    func grow(to needed: Int, keeping used: Int, limit: Int) -> Bool {
        guard needed > capacity else { return true }
        guard needed <= limit else { return false }
        var bigger = capacity
        while bigger < needed { bigger = min(bigger * 2, limit) }
        let new = UnsafeMutableRawPointer.allocate(byteCount: bigger, alignment: 16)
        new.copyMemory(from: bytes, byteCount: used)
        bytes.deallocate()
        bytes = new
        capacity = bigger
        return true
    }
}

/// Decompresses one frame per call into a reused output buffer; owns the liblz4 and libzstd contexts.
final class FrameDecompressor {
    private var lz4: OpaquePointer?
    private var zstd: OpaquePointer?
    /// Where `decompress` writes unless given another buffer.
    let buffer = PacketBuffer()
    var output: UnsafeMutableRawPointer { buffer.bytes }
    /// The most a packet may decompress to; a larger claim is a broken or hostile file.
    let maxOutput: Int

    // liblz4 decodes straight into the output only when a whole block (up to 4 MiB) fits: buffers start at 4 MiB.
    init(maxOutput: Int = 1 << 28) {
        self.maxOutput = maxOutput
    }

    deinit {
        if let lz4 { LZ4F_freeDecompressionContext(lz4) }
        if let zstd { ZSTD_freeDCtx(zstd) }
    }

    /// Decompresses the frame in `src` and returns the number of bytes now at `output`. `fail` makes the error.
    func decompress(_ src: UnsafeRawPointer, count: Int, lz4Frame: Bool, into out: PacketBuffer? = nil,
                    fail: (_ expected: String, _ found: String) -> EventFormatError) throws(EventFormatError) -> Int {
        let out = out ?? buffer
        let n = lz4Frame ? try decompressLZ4(src, count: count, into: out, fail: fail)
                         : try decompressZstd(src, count: count, into: out, fail: fail)
        out.count = n
        return n
    }

    private func decompressLZ4(_ src: UnsafeRawPointer, count: Int, into out: PacketBuffer,
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
            var dstSize = out.capacity - written
            var options = LZ4F_decompressOptions_t()
            options.stableDst = 1  // the output stays put between calls: no copy through liblz4's own buffer
            let hint = LZ4F_decompress(lz4, out.bytes + written, &dstSize, src + read, &srcSize, &options)
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
            if written == out.capacity {
                guard out.grow(to: written + 1, keeping: written, limit: maxOutput) else {
                    LZ4F_resetDecompressionContext(lz4)
                    throw fail("at most \(maxOutput) decompressed bytes", "more")
                }
            } else if read == count {
                LZ4F_resetDecompressionContext(lz4)
                throw fail("a complete LZ4 frame", "the frame cut short after \(count) bytes")
            }
        }
    }

    private func decompressZstd(_ src: UnsafeRawPointer, count: Int, into out: PacketBuffer,
                                fail: (String, String) -> EventFormatError) throws(EventFormatError) -> Int {
        if zstd == nil {
            zstd = ZSTD_createDCtx()
            guard zstd != nil else { throw fail("a Zstandard decompression context", "libzstd could not create one") }
        }
        let declared = ZSTD_getFrameContentSize(src, count)
        if declared != ZSTD_CONTENTSIZE_UNKNOWN && declared != ZSTD_CONTENTSIZE_ERROR && declared <= UInt64(maxOutput) {
            // The frame states its size: decode in one call straight into the output (no streaming window).
            _ = out.grow(to: Int(declared), keeping: 0, limit: maxOutput)
            let n = ZSTD_decompressDCtx(zstd, out.bytes, out.capacity, src, count)
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
            var frame = ZSTD_outBuffer(dst: out.bytes + written, size: out.capacity - written, pos: 0)
            let hint = ZSTD_decompressStream(zstd, &frame, &input)
            if ZSTD_isError(hint) != 0 {
                ZSTD_DCtx_reset(zstd, ZSTD_reset_session_only)
                throw fail("a valid Zstandard frame", String(cString: ZSTD_getErrorName(hint)))
            }
            written += frame.pos
            if hint == 0 {
                guard input.pos == count else {
                    ZSTD_DCtx_reset(zstd, ZSTD_reset_session_only)
                    throw fail("one Zstandard frame filling the packet", "\(count - input.pos) bytes after the frame")
                }
                return written
            }
            if written == out.capacity {
                guard out.grow(to: written + 1, keeping: written, limit: maxOutput) else {
                    ZSTD_DCtx_reset(zstd, ZSTD_reset_session_only)
                    throw fail("at most \(maxOutput) decompressed bytes", "more")
                }
            } else if input.pos == count && frame.pos == 0 {
                ZSTD_DCtx_reset(zstd, ZSTD_reset_session_only)
                throw fail("a complete Zstandard frame", "the frame cut short after \(count) bytes")
            }
        }
    }

    private func isLZ4Error(_ code: Int) -> Bool { LZ4F_isError(code) != 0 }
}
