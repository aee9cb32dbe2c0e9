internal import CLZ4
internal import CZstd

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
