internal import CZlib

/// zlib, wrapped once: one internal function per C call, typed errors, no C type past this file.
enum Zlib {
    /// A zlib status code that is not Z_OK.
    struct Failure: Error, CustomStringConvertible {
        let call: String
        let code: Int32
        var description: String { "zlib \(call) failed with code \(code)" }
    }

    /// `compressBound`: the largest compressed size of `count` bytes.
    static func compressBound(_ count: Int) -> Int {
        Int(CZlib.compressBound(UInt(count)))
    }

    /// `compress2`: one complete zlib stream of `bytes` at `level` (0…9).
    static func compress(_ bytes: UnsafeRawBufferPointer, level: Int32 = 6) throws(Failure) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: compressBound(bytes.count))
        var outLength = UInt(out.count)
        let code = out.withUnsafeMutableBufferPointer { o in
            CZlib.compress2(o.baseAddress, &outLength, bytes.bindMemory(to: UInt8.self).baseAddress,
                            UInt(bytes.count), level)
        }
        guard code == Z_OK else { throw Failure(call: "compress2", code: code) }
        out.removeLast(out.count - Int(outLength))
        return out
    }

    /// `uncompress`: a zlib stream known to expand to `expected` bytes (for tests of what we wrote).
    static func uncompress(_ bytes: [UInt8], expected: Int) throws(Failure) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: max(1, expected))
        var outLength = UInt(out.count)
        let code = out.withUnsafeMutableBufferPointer { o in
            bytes.withUnsafeBufferPointer { i in CZlib.uncompress(o.baseAddress, &outLength, i.baseAddress, UInt(i.count)) }
        }
        guard code == Z_OK else { throw Failure(call: "uncompress", code: code) }
        out.removeLast(out.count - Int(outLength))
        return out
    }

    /// `crc32`: continues `crc` over `bytes` (start from 0).
    static func crc32(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        UInt32(CZlib.crc32(UInt(crc), bytes.bindMemory(to: UInt8.self).baseAddress, UInt32(bytes.count)))
    }
}
