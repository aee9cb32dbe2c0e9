/// A read-only view of one FlatBuffer read from a file, every offset checked before it is followed.
///
/// FlatBuffers (little-endian): a root uoffset at byte 0 (after a uint32 size prefix for size-prefixed buffers),
/// an optional 4-byte file identifier at bytes 4–7; a table starts with an soffset to its vtable
/// (vtable = table − soffset); the vtable holds uint16 sizes of itself and of the table, then one uint16 field
/// offset per slot (0 = absent, use the default). Strings and vectors are a uint32 count then their elements,
/// reached through a uoffset relative to the field that holds it.
struct FlatBuffer {
    let base: UnsafeRawPointer
    let count: Int
    /// For errors: the file, where in it this buffer came from, and what it is.
    let file: String
    let fileOffset: Int64
    let what: String

    func error(_ at: Int, expected: String, found: String) -> EventFormatError {
        EventFormatError(.badPacket, file: file, offset: fileOffset,
                         expected: "\(expected) (byte \(at) of \(what))", found: found)
    }

    func check(_ at: Int, _ size: Int) throws(EventFormatError) {
        guard at >= 0, size >= 0, at <= count - size else {
            throw error(at, expected: "\(size) bytes within the \(count)-byte buffer", found: "an offset past its end")
        }
    }

    func u16(_ at: Int) throws(EventFormatError) -> UInt16 {
        try check(at, 2)
        return UInt16(littleEndian: base.loadUnaligned(fromByteOffset: at, as: UInt16.self))
    }

    func u32(_ at: Int) throws(EventFormatError) -> UInt32 {
        try check(at, 4)
        return UInt32(littleEndian: base.loadUnaligned(fromByteOffset: at, as: UInt32.self))
    }

    func i32(_ at: Int) throws(EventFormatError) -> Int32 { Int32(bitPattern: try u32(at)) }

    func i64(_ at: Int) throws(EventFormatError) -> Int64 {
        try check(at, 8)
        return Int64(littleEndian: base.loadUnaligned(fromByteOffset: at, as: Int64.self))
    }

    /// The position a uoffset stored at `at` points to.
    func follow(_ at: Int) throws(EventFormatError) -> Int {
        let target = at + Int(try u32(at))
        try check(target, 0)
        return target
    }

    /// The root table. `sizePrefixed` buffers start with a uint32 byte count; `identifier` is checked when given.
    func root(sizePrefixed: Bool, identifier: String?) throws(EventFormatError) -> FlatTable {
        let start = sizePrefixed ? 4 : 0
        if sizePrefixed {
            let size = Int(try u32(0))
            guard size <= count - 4 else {
                throw error(0, expected: "a size prefix of at most \(count - 4)", found: "\(size)")
            }
        }
        if let identifier {
            try check(start + 4, 4)
            let found = UnsafeRawBufferPointer(start: base + start + 4, count: 4)
            guard Array(found) == Array(identifier.utf8) else {
                let shown = String(decoding: found.map { $0 >= 0x20 && $0 < 0x7F ? $0 : UInt8(ascii: ".") }, as: UTF8.self)
                throw error(start + 4, expected: "file identifier \(identifier)", found: "'\(shown)'")
            }
        }
        return try FlatTable(buffer: self, position: try follow(start))
    }
}

/// One table of a `FlatBuffer`.
struct FlatTable {
    let buffer: FlatBuffer
    let position: Int
    private let vtable: Int
    private let vtableSize: Int

    init(buffer: FlatBuffer, position: Int) throws(EventFormatError) {
        self.buffer = buffer
        self.position = position
        let vtable = position - Int(try buffer.i32(position))
        let size = Int(try buffer.u16(vtable))
        guard size >= 4, size % 2 == 0 else {
            throw buffer.error(vtable, expected: "a vtable of at least 4 bytes", found: "\(size) bytes")
        }
        try buffer.check(vtable, size)
        self.vtable = vtable
        self.vtableSize = size
    }

    /// Where field `slot` (0-based) is stored, or nil when it is absent.
    func field(_ slot: Int) throws(EventFormatError) -> Int? {
        let entry = 4 + 2 * slot
        guard entry + 2 <= vtableSize else { return nil }
        let offset = Int(try buffer.u16(vtable + entry))
        return offset == 0 ? nil : position + offset
    }

    func int32(_ slot: Int, default value: Int32) throws(EventFormatError) -> Int32 {
        guard let at = try field(slot) else { return value }
        return try buffer.i32(at)
    }

    func int64(_ slot: Int, default value: Int64) throws(EventFormatError) -> Int64 {
        guard let at = try field(slot) else { return value }
        return try buffer.i64(at)
    }

    func string(_ slot: Int) throws(EventFormatError) -> String? {
        guard let at = try field(slot) else { return nil }
        let start = try buffer.follow(at)
        let length = Int(try buffer.u32(start))
        try buffer.check(start + 4, length)
        return String(decoding: UnsafeRawBufferPointer(start: buffer.base + start + 4, count: length), as: UTF8.self)
    }

    /// A vector of `elementSize`-byte elements: the position of its first element and its count (bounds checked).
    func vector(_ slot: Int, elementSize: Int) throws(EventFormatError) -> (start: Int, count: Int)? {
        guard let at = try field(slot) else { return nil }
        let start = try buffer.follow(at)
        let n = Int(try buffer.u32(start))
        guard n <= (buffer.count - start - 4) / elementSize else {
            throw buffer.error(start, expected: "a vector of \(elementSize)-byte elements that fits the buffer",
                               found: "\(n) elements")
        }
        return (start + 4, n)
    }

    /// The tables of a vector of tables.
    func tables(_ slot: Int) throws(EventFormatError) -> [FlatTable] {
        guard let (start, n) = try vector(slot, elementSize: 4) else { return [] }
        var out: [FlatTable] = []
        out.reserveCapacity(n)
        for i in 0..<n { out.append(try FlatTable(buffer: buffer, position: try buffer.follow(start + 4 * i))) }
        return out
    }
}

extension Array where Element == UInt8 {
    /// Reads these bytes as a FlatBuffer (typed throws through `withUnsafeBytes`).
    func withFlatBuffer<R>(file: String, fileOffset: Int64, what: String,
                           _ body: (FlatBuffer) throws(EventFormatError) -> R) throws(EventFormatError) -> R {
        let result: Result<R, EventFormatError> = withUnsafeBytes { raw in
            let fb = FlatBuffer(base: raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, count: raw.count,
                                file: file, fileOffset: fileOffset, what: what)
            do throws(EventFormatError) { return .success(try body(fb)) } catch { return .failure(error) }
        }
        return try result.get()
    }
}
