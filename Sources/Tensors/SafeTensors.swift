import Foundation
import InputLimits

/// The safetensors format (Hugging Face): an 8-byte little-endian header length n, n bytes of JSON mapping each
/// tensor name to `{"dtype", "shape", "data_offsets": [begin, end]}` (offsets relative to the data area) plus an
/// optional `"__metadata__"` map of strings, then the data area. This is the engine's only reader and writer of
/// tensor files: the fidelity tests read PyTorch's reference tensors with it and checkpoints are written with it.
public struct SafeTensors: Sendable {
    /// The element types this implementation reads and writes.
    public enum DType: String, Sendable {
        case f32 = "F32", f64 = "F64", i64 = "I64", i32 = "I32", u8 = "U8"
        public var size: Int {
            switch self {
            case .f32, .i32: 4
            case .f64, .i64: 8
            case .u8: 1
            }
        }
    }

    /// One stored tensor: type, shape and its raw little-endian bytes.
    public struct Entry: Sendable {
        public var dtype: DType
        public var shape: [Int]
        public var bytes: [UInt8]
    }

    /// The tensors by name.
    public var entries: [String: Entry] = [:]
    /// The `__metadata__` strings.
    public var metadata: [String: String] = [:]

    public init() {}

    /// Tensor names in sorted order.
    public var names: [String] { entries.keys.sorted() }

    // MARK: Adding and reading tensors

    /// Stores `tensor` as F32 under `name` with its own shape, or `shape` when given (same element count).
    public mutating func set(_ name: String, _ tensor: Tensor, shape: [Int]? = nil) {
        let s = shape ?? tensor.shape
        precondition(s.reduce(1, *) == tensor.count, "shape \(s) for a tensor of \(tensor.count) elements")
        let bytes = Array(UnsafeRawBufferPointer(start: tensor.data, count: tensor.count * 4))
        entries[name] = Entry(dtype: .f32, shape: s, bytes: bytes)
    }

    /// Stores integers as I64.
    public mutating func set(_ name: String, int64s: [Int64], shape: [Int]) {
        precondition(shape.reduce(1, *) == int64s.count, "shape \(shape) for \(int64s.count) integers")
        entries[name] = Entry(dtype: .i64, shape: shape,
                              bytes: int64s.withUnsafeBytes { Array($0) })
    }

    /// The F32 tensor `name` (F64 is converted); throws when it is absent or of another type.
    public func tensor(_ name: String) throws(SafeTensorsError) -> Tensor {
        guard let e = entries[name] else { throw .missingTensor(name: name, available: names) }
        let t = Tensor(shape: e.shape)
        switch e.dtype {
        case .f32:
            e.bytes.withUnsafeBytes { raw in
                for i in 0..<t.count { t.data[i] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))) }
            }
        case .f64:
            e.bytes.withUnsafeBytes { raw in
                for i in 0..<t.count { t.data[i] = Float(Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self)))) }
            }
        default:
            throw .wrongType(name: name, expected: "F32 or F64", found: e.dtype.rawValue)
        }
        return t
    }

    /// The integer tensor `name` (I64 or I32) as Ints, row-major.
    public func integers(_ name: String) throws(SafeTensorsError) -> [Int] {
        guard let e = entries[name] else { throw .missingTensor(name: name, available: names) }
        let n = e.shape.reduce(1, *)
        let raw = e.bytes
        switch e.dtype {
        case .i64: return (0..<n).map { i in raw.withUnsafeBytes { Int(Int64(littleEndian: $0.loadUnaligned(fromByteOffset: 8 * i, as: Int64.self))) } }
        case .i32: return (0..<n).map { i in raw.withUnsafeBytes { Int(Int32(littleEndian: $0.loadUnaligned(fromByteOffset: 4 * i, as: Int32.self))) } }
        case .u8: return raw.map { Int($0) }
        default: throw .wrongType(name: name, expected: "I64, I32 or U8", found: e.dtype.rawValue)
        }
    }

    // MARK: Files

    /// Reads and validates a safetensors file: header length, JSON, types, shapes against byte counts, offsets
    /// inside the data area without gaps or overlaps.
    public static func read(path: String) throws(SafeTensorsError) -> SafeTensors {
        if let problem = RegularFile.problem(with: path) { throw .cannotRead(file: path, reason: problem) }
        // Read with the C calls (Foundation's Data(contentsOf:) leaks a page on an empty file, found by fuzzing).
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { throw .cannotRead(file: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw .cannotRead(file: path, reason: String(cString: strerror(errno))) }
        var bytes = [UInt8](repeating: 0, count: Int(st.st_size))
        var done = 0
        while done < bytes.count {
            let r = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + done, $0.count - done) }
            if r < 0 && errno == EINTR { continue }
            guard r > 0 else { throw .cannotRead(file: path, reason: r == 0 ? "the file shrank while read" : String(cString: strerror(errno))) }
            done += r
        }
        return try decode(bytes, file: path)
    }

    /// Decodes the bytes of a safetensors file; `file` names it in errors.
    public static func decode(_ bytes: [UInt8], file: String) throws(SafeTensorsError) -> SafeTensors {
        func bad(_ offset: Int, _ expected: String, _ found: String) -> SafeTensorsError {
            .malformed(file: file, offset: offset, expected: expected, found: found)
        }
        guard bytes.count >= 8 else { throw bad(0, "an 8-byte header length", "\(bytes.count) bytes in the file") }
        var n: UInt64 = 0
        for i in 0..<8 { n |= UInt64(bytes[i]) << (8 * UInt64(i)) }
        guard n >= 2, n <= UInt64(bytes.count - 8), n <= 100_000_000 else {
            throw bad(0, "a header length of at most \(bytes.count - 8) bytes", "\(n)")
        }
        let headerEnd = 8 + Int(n)
        let json: Any
        do { json = try JSONSerialization.jsonObject(with: Data(bytes[8..<headerEnd])) } catch {
            throw bad(8, "a JSON header", "text that does not parse (\(error.localizedDescription))")
        }
        guard let header = json as? [String: Any] else { throw bad(8, "a JSON object", "\(type(of: json))") }
        var file_ = SafeTensors()
        var spans: [(begin: Int, end: Int, name: String)] = []
        let dataSize = bytes.count - headerEnd
        for (name, value) in header {
            if name == "__metadata__" {
                guard let m = value as? [String: Any] else { throw bad(8, "__metadata__ as a map of strings", "\(value)") }
                for (k, v) in m {
                    guard let s = v as? String else { throw bad(8, "a string for metadata \(k)", "\(v)") }
                    file_.metadata[k] = s
                }
                continue
            }
            guard let info = value as? [String: Any],
                  let typeName = info["dtype"] as? String,
                  let shape = (info["shape"] as? [Any])?.compactMap({ ($0 as? NSNumber)?.intValue }),
                  let offsets = (info["data_offsets"] as? [Any])?.compactMap({ ($0 as? NSNumber)?.intValue }),
                  offsets.count == 2, shape.count == (info["shape"] as? [Any])?.count
            else { throw bad(8, "dtype, shape and data_offsets for tensor \(name)", "\(value)") }
            guard let dtype = DType(rawValue: typeName) else {
                throw bad(8, "a dtype among F32 F64 I64 I32 U8 for tensor \(name)", typeName)
            }
            guard shape.allSatisfy({ $0 >= 0 }) else { throw bad(8, "non-negative extents for \(name)", "\(shape)") }
            let (begin, end) = (offsets[0], offsets[1])
            guard begin >= 0, end >= begin, end <= dataSize else {
                throw bad(headerEnd + max(begin, 0), "offsets of \(name) inside the \(dataSize)-byte data area",
                          "[\(begin), \(end)]")
            }
            // The shape comes from the file: its product is checked, then bounded, before anything is sized by it.
            guard let elements = Limits.product(shape), let expected = Limits.product([elements, dtype.size]) else {
                throw bad(8, "a shape whose element count fits in 64 bits for \(name)", "\(shape)")
            }
            do { try Limits.current.check(.tensorElements, elements, "tensor \(name) \(shape) of \(file)") } catch {
                throw .tooLarge(error)
            }
            guard end - begin == expected else {
                throw bad(headerEnd + begin, "\(expected) bytes for \(name) (\(typeName) \(shape))", "\(end - begin) bytes")
            }
            spans.append((begin, end, name))
            file_.entries[name] = Entry(dtype: dtype, shape: shape, bytes: Array(bytes[(headerEnd + begin)..<(headerEnd + end)]))
        }
        spans.sort { ($0.begin, $0.end) < ($1.begin, $1.end) }
        var covered = 0
        for s in spans where s.end > s.begin {
            guard s.begin == covered else {
                throw bad(headerEnd + covered, "tensor data packed without gaps or overlaps",
                          "\(s.name) starting at data offset \(s.begin), previous tensor ending at \(covered)")
            }
            covered = s.end
        }
        guard covered == dataSize else {
            throw bad(headerEnd + covered, "the file to end after the last tensor", "\(dataSize - covered) extra bytes")
        }
        return file_
    }

    /// The file's bytes: tensors in name order, header padded with spaces to a multiple of 8 bytes.
    public func encoded() -> [UInt8] {
        var header = "{"
        var parts: [String] = []
        if !metadata.isEmpty {
            let m = metadata.keys.sorted().map { "\(jsonQuoted($0)):\(jsonQuoted(metadata[$0]!))" }
            parts.append("\"__metadata__\":{\(m.joined(separator: ","))}")
        }
        var offset = 0
        for name in names {
            let e = entries[name]!
            parts.append("\(jsonQuoted(name)):{\"dtype\":\"\(e.dtype.rawValue)\",\"shape\":[\(e.shape.map(String.init).joined(separator: ","))],\"data_offsets\":[\(offset),\(offset + e.bytes.count)]}")
            offset += e.bytes.count
        }
        header += parts.joined(separator: ",") + "}"
        var h = Array(header.utf8)
        while (8 + h.count) % 8 != 0 { h.append(0x20) }
        var out: [UInt8] = []
        out.reserveCapacity(8 + h.count + offset)
        var n = UInt64(h.count)
        for _ in 0..<8 { out.append(UInt8(n & 0xff)); n >>= 8 }
        out += h
        for name in names { out += entries[name]!.bytes }
        return out
    }

    /// Writes the file atomically (temporary file, fsync, rename).
    public func write(path: String) throws(SafeTensorsError) {
        do { try AtomicFile.write(encoded(), to: path) } catch {
            throw .cannotWrite(file: path, reason: error.reason)
        }
    }
}

/// What went wrong with a safetensors file, specific enough to act on.
public enum SafeTensorsError: Error, CustomStringConvertible, Equatable {
    case cannotRead(file: String, reason: String)
    case cannotWrite(file: String, reason: String)
    case malformed(file: String, offset: Int, expected: String, found: String)
    case missingTensor(name: String, available: [String])
    case wrongType(name: String, expected: String, found: String)
    /// A size in the file beyond `Limits.current`.
    case tooLarge(LimitError)

    public var description: String {
        switch self {
        case let .cannotRead(file, reason): "cannot read \(file): \(reason)"
        case let .cannotWrite(file, reason): "cannot write \(file): \(reason)"
        case let .malformed(file, offset, expected, found):
            "bad safetensors data at byte \(offset) of \(file): expected \(expected), found \(found)"
        case let .missingTensor(name, available):
            "no tensor '\(name)' (the file has \(available.count): \(available.prefix(8).joined(separator: ", "))\(available.count > 8 ? ", …" : ""))"
        case let .wrongType(name, expected, found): "tensor '\(name)' is \(found), expected \(expected)"
        case let .tooLarge(error): "\(error)"
        }
    }
}
