internal import CZlib

/// zlib, wrapped once: one function per C call, typed errors, no C type past this file. Internal to Pictures:
/// the PNG writer and reader are its only users.
enum Zlib {
    /// A zlib status code that is not Z_OK.
    struct Failure: Error, CustomStringConvertible, Equatable {
        let call: String
        let code: Int32
        var description: String { "zlib \(call) failed with code \(code)" }
    }

    /// Why a zlib stream could not be inflated, and how far into the compressed bytes that was found.
    struct InflateError: Error, CustomStringConvertible, Equatable {
        enum Problem: Equatable, Sendable {
            /// The bytes are not a valid zlib stream (zlib's message, when it gives one).
            case corrupt(String)
            /// The compressed bytes end before the stream does.
            case truncated
            /// The stream expands to more than the expected size.
            case tooLong(expected: Int)
            /// The stream ends after fewer bytes than expected.
            case tooShort(expected: Int, found: Int)
        }

        let problem: Problem
        /// Compressed bytes consumed when the problem was found: where it lies in the input.
        let inputOffset: Int

        var description: String {
            switch problem {
            case .corrupt(let why): "invalid zlib data at input byte \(inputOffset): \(why)"
            case .truncated: "zlib data ends at input byte \(inputOffset) before its stream does"
            case .tooLong(let n): "zlib data expands to more than the expected \(n) bytes (input byte \(inputOffset))"
            case .tooShort(let n, let found): "zlib data expands to \(found) bytes, expected \(n)"
            }
        }
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

    /// `compress2` of an array.
    static func compress(_ bytes: [UInt8], level: Int32 = 6) throws(Failure) -> [UInt8] {
        let result = bytes.withUnsafeBytes { b in Result { () throws(Failure) in try compress(b, level: level) } }
        return try result.get()
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

    /// `inflate` of one whole zlib stream that must expand to exactly `expected` bytes. The output grows as the
    /// stream delivers, so a small file that declares a huge size fails before that size is allocated. Bytes after
    /// the end of the stream are ignored.
    static func inflate(_ bytes: [UInt8], expected: Int) throws(InflateError) -> [UInt8] {
        precondition(expected >= 0, "an expected size ≥ 0, got \(expected)")
        var stream = z_stream()
        guard inflateInit_(&stream, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw InflateError(problem: .corrupt("inflateInit failed (out of memory?)"), inputOffset: 0)
        }
        defer { inflateEnd(&stream) }
        var out = [UInt8](repeating: 0, count: min(expected + 1, 1 << 16))
        let result: Result<Int, InflateError> = bytes.withUnsafeBufferPointer { input in
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
            stream.avail_in = UInt32(input.count)
            while true {
                let produced = Int(stream.total_out)
                if produced > expected {
                    return .failure(InflateError(problem: .tooLong(expected: expected), inputOffset: Int(stream.total_in)))
                }
                if produced == out.count { out += [UInt8](repeating: 0, count: min(out.count, expected + 1 - out.count)) }
                let code = out.withUnsafeMutableBufferPointer { o -> Int32 in
                    stream.next_out = o.baseAddress! + produced
                    stream.avail_out = UInt32(o.count - produced)
                    return CZlib.inflate(&stream, Z_NO_FLUSH)
                }
                let offset = Int(stream.total_in)
                switch code {
                case Z_STREAM_END:
                    let n = Int(stream.total_out)
                    if n > expected { return .failure(InflateError(problem: .tooLong(expected: expected), inputOffset: offset)) }
                    if n < expected {
                        return .failure(InflateError(problem: .tooShort(expected: expected, found: n), inputOffset: offset))
                    }
                    return .success(n)
                case Z_OK where stream.avail_out == 0:
                    continue                                           // more room needed
                case Z_OK, Z_BUF_ERROR:
                    return .failure(InflateError(problem: .truncated, inputOffset: offset))
                case Z_NEED_DICT:
                    return .failure(InflateError(problem: .corrupt("a preset dictionary is required"), inputOffset: offset))
                default:
                    let message = stream.msg.map { String(cString: $0) } ?? "zlib code \(code)"
                    return .failure(InflateError(problem: .corrupt(message), inputOffset: offset))
                }
            }
        }
        let count = try result.get()
        out.removeLast(out.count - count)
        return out
    }

    /// `crc32`: continues `crc` over `bytes` (start from 0).
    static func crc32(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        UInt32(CZlib.crc32(UInt(crc), bytes.bindMemory(to: UInt8.self).baseAddress, UInt32(bytes.count)))
    }

    /// `crc32` of a slice of bytes, from 0.
    static func crc32<C: Collection<UInt8>>(_ bytes: C) -> UInt32 {
        if let crc = bytes.withContiguousStorageIfAvailable({ crc32(0, UnsafeRawBufferPointer($0)) }) { return crc }
        return Array(bytes).withUnsafeBytes { crc32(0, $0) }
    }
}
