/// A small GIF89a decoder for the tests (a second implementation of the format to check the writer against): the
/// global palette, the NETSCAPE2.0 loop count, and each frame's delay and palette indices.
public struct GIFTestDecoder {
    public struct Failure: Error, CustomStringConvertible { public var description: String }

    public var width = 0, height = 0
    public var palette: [[UInt8]] = []
    public var loops: Int?
    public var frames: [(indices: [UInt8], delay: Int)] = []

    public init(_ b: [UInt8]) throws {
        var i = 0
        func byte() throws -> Int {
            guard i < b.count else { throw Failure(description: "the file ends at byte \(i)") }
            defer { i += 1 }
            return Int(b[i])
        }
        func word() throws -> Int { let low = try byte(); return try low | byte() << 8 }
        func blocks() throws -> [UInt8] {
            var data: [UInt8] = []
            while true {
                let n = try byte()
                if n == 0 { return data }
                guard i + n <= b.count else { throw Failure(description: "a sub-block runs past the end") }
                data += b[i..<(i + n)]
                i += n
            }
        }
        guard b.count >= 13, Array(b[0..<6]) == Array("GIF89a".utf8) else { throw Failure(description: "no GIF89a header") }
        i = 6
        width = try word(); height = try word()
        let flags = try byte(); _ = try byte(); _ = try byte()
        if flags & 0x80 != 0 {
            for _ in 0..<(1 << ((flags & 7) + 1)) { palette.append([UInt8(try byte()), UInt8(try byte()), UInt8(try byte())]) }
        }
        var delay = 0
        while true {
            switch try byte() {
            case 0x3B: return
            case 0x21:
                let label = try byte()
                let data = try blocks()
                if label == 0xF9, data.count == 4 { delay = Int(data[1]) | Int(data[2]) << 8 }
                if label == 0xFF, data.count == 14, Array(data[0..<11]) == Array("NETSCAPE2.0".utf8) {
                    loops = Int(data[12]) | Int(data[13]) << 8
                }
            case 0x2C:
                let (x, y, w, h) = (try word(), try word(), try word(), try word())
                guard x == 0, y == 0, w == width, h == height, try byte() == 0 else {
                    throw Failure(description: "a frame other than a full one on the global palette")
                }
                let codeSize = try byte()
                let indices = try Self.decompress(try blocks(), minimumCodeSize: codeSize)
                guard indices.count == w * h else { throw Failure(description: "\(indices.count) indices for \(w)×\(h)") }
                frames.append((indices, delay))
            case let other: throw Failure(description: "unexpected block 0x\(String(other, radix: 16)) at byte \(i - 1)")
            }
        }
    }

    /// Variable-length LZW, least significant bit first, as GIF readers decode it.
    public static func decompress(_ data: [UInt8], minimumCodeSize: Int) throws -> [UInt8] {
        let clear = 1 << minimumCodeSize, end = clear + 1
        let initial = (0..<clear).map { [UInt8($0)] } + [[], []]
        var table = initial, codeSize = minimumCodeSize + 1
        var previous: [UInt8]?
        var out: [UInt8] = []
        var bit = 0
        while true {
            guard bit + codeSize <= data.count * 8 else { throw Failure(description: "the codes end without an end code") }
            var code = 0
            for k in 0..<codeSize where data[(bit + k) / 8] >> UInt8((bit + k) % 8) & 1 == 1 { code |= 1 << k }
            bit += codeSize
            if code == clear { table = initial; codeSize = minimumCodeSize + 1; previous = nil; continue }
            if code == end { return out }
            let entry: [UInt8]
            if code < table.count && code != clear && code != end { entry = table[code] }
            else if code == table.count, let p = previous { entry = p + [p[0]] }
            else { throw Failure(description: "code \(code) with \(table.count) entries") }
            out += entry
            if let p = previous, table.count < 4096 { table.append(p + [entry[0]]) }
            previous = entry
            if table.count == 1 << codeSize && codeSize < 12 { codeSize += 1 }
        }
    }
}
