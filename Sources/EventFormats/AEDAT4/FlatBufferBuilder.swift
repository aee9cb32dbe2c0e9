/// Builds small FlatBuffers front to back: the root offset and identifier first, then each table's vtable just
/// before the table, then what the table points to (uoffsets are unsigned, so children come after their parent).
///
/// Used for the AEDAT 4 IOHeader and FileDataTable; event packets are laid out directly by `EventPacketLayout`.
struct FlatBufferBuilder {
    private(set) var bytes: [UInt8] = []

    /// One table field: a scalar, a fixed struct, or a uoffset patched later with `patchOffset`.
    enum Field {
        case int32(Int32)
        case int64(Int64)
        /// Struct bytes, with their alignment.
        case structure([UInt8], alignment: Int)
        case offset

        var size: Int {
            switch self {
            case .int32, .offset: 4
            case .int64: 8
            case .structure(let b, _): b.count
            }
        }
        var alignment: Int {
            switch self {
            case .int32, .offset: 4
            case .int64: 8
            case .structure(_, let a): a
            }
        }
    }

    /// Starts a buffer: an optional size prefix (patched by `finish`), the root uoffset (patched by the first
    /// table) and the 4-byte identifier.
    init(identifier: String, sizePrefixed: Bool) {
        precondition(identifier.utf8.count == 4, "a FlatBuffer identifier has 4 bytes, got '\(identifier)'")
        self.sizePrefixed = sizePrefixed
        rootField = sizePrefixed ? 4 : 0
        bytes = [UInt8](repeating: 0, count: rootField + 4)
        bytes.append(contentsOf: identifier.utf8)
    }

    private let sizePrefixed: Bool
    private let rootField: Int
    private var rootSet = false

    mutating func append<T: FixedWidthInteger>(_ v: T) {
        withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// Pads with zeros until `bytes.count + ahead` is a multiple of `alignment` (offsets count from the byte after
    /// the size prefix, as readers see them).
    mutating func pad(alignment: Int, ahead: Int = 0) {
        let origin = sizePrefixed ? 4 : 0
        while (bytes.count - origin + ahead) % alignment != 0 { bytes.append(0) }
    }

    /// Writes a table with `fields` in slot order (nil = absent). Returns the table's position and the position of
    /// each present field (to patch `.offset` fields). The first table written becomes the root.
    mutating func table(_ fields: [Field?]) -> (table: Int, fields: [Int?]) {
        // The table starts aligned to its widest field; after the 4-byte soffset come the 4-byte fields, then the
        // 8-byte ones, each at an aligned position.
        let order = fields.indices.filter { fields[$0] != nil }.sorted { (fields[$0]!.alignment, $0) < (fields[$1]!.alignment, $1) }
        var inTable = [Int?](repeating: nil, count: fields.count)
        var cursor = 4
        for i in order {
            let f = fields[i]!
            while cursor % f.alignment != 0 { cursor += 1 }
            inTable[i] = cursor
            cursor += f.size
        }
        let tableSize = cursor
        let vtableSize = 4 + 2 * fields.count
        let maxAlignment = order.map { fields[$0]!.alignment }.max() ?? 4
        // The vtable comes right before the table.
        pad(alignment: maxAlignment, ahead: vtableSize)
        let vtable = bytes.count
        append(UInt16(vtableSize))
        append(UInt16(tableSize))
        for o in inTable { append(UInt16(o ?? 0)) }
        let table = bytes.count
        append(Int32(table - vtable))
        bytes.append(contentsOf: repeatElement(0, count: tableSize - 4))
        var positions = [Int?](repeating: nil, count: fields.count)
        for i in order {
            let at = table + inTable[i]!
            positions[i] = at
            switch fields[i]! {
            case .int32(let v): store(v, at: at)
            case .int64(let v): store(v, at: at)
            case .structure(let b, _): bytes.replaceSubrange(at..<at + b.count, with: b)
            case .offset: break
            }
        }
        if !rootSet {
            store(UInt32(table - rootField), at: rootField)
            rootSet = true
        }
        return (table, positions)
    }

    /// Writes a string (count, bytes, NUL) and returns its position.
    mutating func string(_ s: String) -> Int {
        pad(alignment: 4)
        let at = bytes.count
        append(UInt32(s.utf8.count))
        bytes.append(contentsOf: s.utf8)
        bytes.append(0)
        return at
    }

    /// Writes a vector of uoffsets to be patched, returns the vector's position and each element's position.
    mutating func offsetVector(count: Int) -> (vector: Int, elements: [Int]) {
        pad(alignment: 4)
        let at = bytes.count
        append(UInt32(count))
        let elements = (0..<count).map { at + 4 + 4 * $0 }
        bytes.append(contentsOf: repeatElement(0, count: 4 * count))
        return (at, elements)
    }

    /// Points the uoffset stored at `field` to `target` (which must come after it).
    mutating func patchOffset(at field: Int, to target: Int) {
        precondition(target > field, "a uoffset points forward: \(field) → \(target)")
        store(UInt32(target - field), at: field)
    }

    private mutating func store<T: FixedWidthInteger>(_ v: T, at: Int) {
        withUnsafeBytes(of: v.littleEndian) { raw in
            for (i, b) in raw.enumerated() { bytes[at + i] = b }
        }
    }

    /// The finished buffer (with its size prefix filled in when it has one), padded to 4 bytes.
    mutating func finish() -> [UInt8] {
        pad(alignment: 4)
        if sizePrefixed { store(UInt32(bytes.count - 4), at: 0) }
        return bytes
    }
}
