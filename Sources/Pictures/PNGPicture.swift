/// PNG pictures (ISO/IEC 15948): read into linear grey intensities.
///
/// Every colour type (grey, RGB, palette, grey + alpha, RGBA) at every bit depth it allows (1, 2, 4, 8, 16), the
/// five filter types, Adam7 interlacing, `tRNS` transparency. Chunks are checked against their CRC; unknown
/// ancillary chunks are skipped, unknown critical chunks refused. Samples are taken as linear light (gamma chunks
/// are ignored, as for Netpbm); colour becomes grey with Rec. 601 luma weights; transparent pixels are composited
/// over black, the background of an event camera's view of a picture.
public enum PNGPicture {
    /// The file extensions read here.
    public static let extensions: Set<String> = ["png"]
    /// The 8 bytes every PNG file starts with.
    public static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    /// Largest picture read: 32768 per side and 2²⁴ pixels in all (4096 × 4096), so that the decoded samples of a
    /// hostile file stay within 256 MB.
    static let maxSide = 1 << 15, maxPixels = 1 << 24

    /// Decodes a whole file's bytes into grey intensities.
    public static func decode(_ bytes: [UInt8], file: String) throws(PictureFileError) -> GrayImage {
        let raster = try decodeRaster(bytes, file: file)
        var image = GrayImage(width: raster.width, height: raster.height)
        let c = raster.channels, s = raster.samples
        for i in 0..<(raster.width * raster.height) {
            let grey = c >= 3 ? 0.299 * s[c * i] + 0.587 * s[c * i + 1] + 0.114 * s[c * i + 2] : s[c * i]
            image.pixels[i] = c == 2 || c == 4 ? grey * s[c * i + c - 1] : grey
        }
        return image
    }

    /// A decoded picture: samples in [0, 1], `channels` per pixel (1 grey, 2 grey + alpha, 3 RGB, 4 RGBA; palette
    /// pictures become RGB or RGBA), row-major.
    struct Raster: Equatable {
        var width: Int
        var height: Int
        var channels: Int
        var samples: [Float]
    }

    /// The header's fields that shape the pixel data.
    struct Header {
        var width: Int
        var height: Int
        var bitDepth: Int
        var colourType: Int
        var interlaced: Bool

        /// Samples per pixel in the file (a palette index is one).
        var fileChannels: Int { [0: 1, 2: 3, 3: 1, 4: 2, 6: 4][colourType]! }
        var bitsPerPixel: Int { fileChannels * bitDepth }
        /// The filter's "bpp": bytes per complete pixel, at least 1.
        var filterStride: Int { max(1, bitsPerPixel / 8) }
        func rowBytes(_ width: Int) -> Int { (width * bitsPerPixel + 7) / 8 }
    }

    /// Adam7's passes: (x0, y0, dx, dy) of the pixels each one holds.
    static let adam7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]

    static func decodeRaster(_ bytes: [UInt8], file: String) throws(PictureFileError) -> Raster {
        func fail(_ offset: Int?, _ expected: String, _ found: String) -> PictureFileError {
            PictureFileError(file: file, offset: offset, expected: expected, found: found)
        }
        guard bytes.starts(with: signature) else {
            let head = bytes.prefix(8).map { hex($0) }.joined(separator: " ")
            throw fail(0, "the PNG signature 89 50 4e 47 0d 0a 1a 0a", head.isEmpty ? "an empty file" : "bytes \(head)")
        }
        var header: Header?
        var palette: [[Float]] = []                            // RGBA entries
        var transparentEntries: [UInt8] = []                   // tRNS of a palette picture: alpha per entry
        var transparentColour: [Int]?                          // tRNS of grey or RGB: the one transparent sample set
        var compressed: [UInt8] = []
        var idatRanges: [(file: Int, stream: Int, count: Int)] = []   // where IDAT data lies in the file
        var position = signature.count
        var ended = false
        while !ended {
            guard bytes.count - position >= 12 else {
                throw fail(position, "a chunk (12 bytes at least; the file must end with IEND)",
                           bytes.count == position ? "the end of the file" : "\(bytes.count - position) bytes")
            }
            let length = Int(bigEndian32(bytes, position))
            let typeBytes = Array(bytes[(position + 4)..<(position + 8)])
            let type = String(decoding: typeBytes, as: UTF8.self)
            guard typeBytes.allSatisfy({ (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }) else {
                throw fail(position + 4, "a chunk type of 4 ASCII letters", "bytes \(typeBytes.map { hex($0) }.joined(separator: " "))")
            }
            guard length <= Int(Int32.max), length <= bytes.count - position - 12 else {
                throw fail(position, "\(type) chunk of \(length) bytes and its CRC",
                           "\(max(0, bytes.count - position - 8)) bytes left in the file")
            }
            let data = position + 8, crcAt = data + length
            let stored = bigEndian32(bytes, crcAt)
            let computed = Zlib.crc32(bytes[(position + 4)..<crcAt])
            guard stored == computed else {
                throw fail(crcAt, "the CRC \(hex32(computed)) of the \(type) chunk at byte \(position)", hex32(stored))
            }
            let body = bytes[data..<crcAt]
            if header == nil && type != "IHDR" {
                throw fail(position, "the IHDR chunk first", "a \(type) chunk")
            }
            switch type {
            case "IHDR":
                guard header == nil else { throw fail(position, "one IHDR chunk", "a second one") }
                header = try readHeader(body, at: data, fail: fail)
            case "PLTE":
                guard length % 3 == 0, (1...256).contains(length / 3) else {
                    throw fail(position, "a PLTE chunk of 1…256 RGB entries (3 bytes each)", "\(length) bytes")
                }
                palette = stride(from: data, to: crcAt, by: 3).map {
                    [Float(bytes[$0]) / 255, Float(bytes[$0 + 1]) / 255, Float(bytes[$0 + 2]) / 255, 1]
                }
            case "tRNS":
                switch header!.colourType {
                case 3: transparentEntries = Array(body)
                case 0 where length == 2: transparentColour = [Int(bigEndian16(bytes, data))]
                case 2 where length == 6: transparentColour = (0..<3).map { Int(bigEndian16(bytes, data + 2 * $0)) }
                case 0, 2: throw fail(data, "a tRNS chunk of \(header!.colourType == 0 ? 2 : 6) bytes", "\(length) bytes")
                default: throw fail(position, "no tRNS chunk in a picture with an alpha channel", "one")
                }
            case "IDAT":
                idatRanges.append((data, compressed.count, length))
                compressed += body
            case "IEND":
                ended = true
            default:
                // Bit 5 of the first letter (lower case) marks an ancillary chunk, which a decoder may skip.
                guard typeBytes[0] & 0x20 != 0 else {
                    throw fail(position + 4, "a known critical chunk (IHDR, PLTE, IDAT, IEND)", "'\(type)'")
                }
            }
            position = crcAt + 4
        }
        let h = header!
        guard !idatRanges.isEmpty else { throw fail(position - 12, "an IDAT chunk before IEND", "none") }
        if h.colourType == 3 {
            guard !palette.isEmpty else { throw fail(idatRanges[0].file - 8, "a PLTE chunk before the pixels", "none") }
            guard transparentEntries.count <= palette.count else {
                throw fail(nil, "at most \(palette.count) tRNS entries (one per palette entry)", "\(transparentEntries.count)")
            }
            for (k, alpha) in transparentEntries.enumerated() { palette[k][3] = Float(alpha) / 255 }
        }

        // The filtered rows: one pass, or Adam7's seven (passes without pixels have no rows at all).
        let passes = h.interlaced ? adam7 : [(0, 0, 1, 1)]
        let shapes = passes.map { (x0, y0, dx, dy) in
            (width: h.width > x0 ? (h.width - x0 + dx - 1) / dx : 0, height: h.height > y0 ? (h.height - y0 + dy - 1) / dy : 0)
        }
        let expected = shapes.reduce(0) { $0 + ($1.width == 0 || $1.height == 0 ? 0 : $1.height * (1 + h.rowBytes($1.width))) }
        let raw: [UInt8]
        do { raw = try Zlib.inflate(compressed, expected: expected) } catch {
            let at = fileOffset(ofStream: error.inputOffset, in: idatRanges)
            switch error.problem {
            case .corrupt(let why): throw fail(at, "valid zlib data in the IDAT chunks", "'\(why)'")
            case .truncated: throw fail(at, "more zlib data in the IDAT chunks (\(expected) bytes of pixel rows)", "the end of the last IDAT")
            case .tooLong: throw fail(at, "\(expected) bytes of pixel rows for \(h.width)×\(h.height)", "more")
            case .tooShort(_, let found): throw fail(at, "\(expected) bytes of pixel rows for \(h.width)×\(h.height)", "\(found)")
            }
        }

        let outChannels = h.colourType == 3 ? (transparentEntries.isEmpty ? 3 : 4)
            : h.fileChannels + (transparentColour == nil ? 0 : 1)
        var raster = Raster(width: h.width, height: h.height, channels: outChannels,
                            samples: [Float](repeating: 0, count: h.width * h.height * outChannels))
        let maxSample = Float((1 << h.bitDepth) - 1)
        var start = 0
        for (pass, shape) in zip(passes, shapes) where shape.width > 0 && shape.height > 0 {
            let rowBytes = h.rowBytes(shape.width)
            var previous = [UInt8](repeating: 0, count: rowBytes), row = previous
            var values = [Int](repeating: 0, count: shape.width * h.fileChannels)
            for y in 0..<shape.height {
                let filterAt = start + y * (1 + rowBytes)
                guard let filter = Filter(rawValue: raw[filterAt]) else {
                    throw fail(idatRanges[0].file, "a filter type 0…4 at the start of row \(y)\(h.interlaced ? " of Adam7 pass \(passes.firstIndex { $0 == pass }! + 1)" : "") (in the inflated IDAT data)",
                               "\(raw[filterAt])")
                }
                for i in 0..<rowBytes { row[i] = raw[filterAt + 1 + i] }
                filter.unfilter(&row, previous: previous, stride: h.filterStride)
                unpack(row, bitDepth: h.bitDepth, into: &values)
                let py = pass.1 + y * pass.3
                for x in 0..<shape.width {
                    let px = pass.0 + x * pass.2
                    let o = (py * h.width + px) * outChannels
                    let v = values[(x * h.fileChannels)..<((x + 1) * h.fileChannels)]
                    if h.colourType == 3 {
                        let index = v.first!
                        guard index < palette.count else {
                            throw fail(nil, "palette indices below \(palette.count) (the PLTE entries)",
                                       "index \(index) at pixel (\(px), \(py))")
                        }
                        for c in 0..<outChannels { raster.samples[o + c] = palette[index][c] }
                    } else {
                        for (c, sample) in v.enumerated() { raster.samples[o + c] = Float(sample) / maxSample }
                        if let transparentColour { raster.samples[o + outChannels - 1] = Array(v) == transparentColour ? 0 : 1 }
                    }
                }
                swap(&row, &previous)
            }
            start += shape.height * (1 + rowBytes)
        }
        return raster
    }

    /// Reads and checks IHDR's 13 bytes.
    private static func readHeader(_ body: ArraySlice<UInt8>, at data: Int,
                                   fail: (Int?, String, String) -> PictureFileError) throws(PictureFileError) -> Header {
        guard body.count == 13 else { throw fail(data - 8, "an IHDR chunk of 13 bytes", "\(body.count) bytes") }
        let bytes = Array(body)
        let width = Int(bigEndian32(bytes, 0)), height = Int(bigEndian32(bytes, 4))
        guard (1...maxSide).contains(width), (1...maxSide).contains(height), width * height <= maxPixels else {
            throw fail(data, "a size of 1…\(maxSide) per side and at most \(maxPixels) pixels", "\(width)×\(height)")
        }
        let depth = Int(bytes[8]), colour = Int(bytes[9])
        let allowed: [Int: [Int]] = [0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16]]
        guard let depths = allowed[colour] else {
            throw fail(data + 9, "a colour type 0, 2, 3, 4 or 6", "\(colour)")
        }
        guard depths.contains(depth) else {
            throw fail(data + 8, "a bit depth of \(depths.map(String.init).joined(separator: ", ")) for colour type \(colour)", "\(depth)")
        }
        guard bytes[10] == 0 else { throw fail(data + 10, "compression method 0 (deflate)", "\(bytes[10])") }
        guard bytes[11] == 0 else { throw fail(data + 11, "filter method 0", "\(bytes[11])") }
        guard bytes[12] <= 1 else { throw fail(data + 12, "interlace method 0 (none) or 1 (Adam7)", "\(bytes[12])") }
        return Header(width: width, height: height, bitDepth: depth, colourType: colour, interlaced: bytes[12] == 1)
    }

    /// The five filter types, undone in place on one row given the row above (zeros for the first row).
    enum Filter: UInt8 {
        case none = 0, sub, up, average, paeth

        func unfilter(_ row: inout [UInt8], previous: [UInt8], stride: Int) {
            let n = row.count
            switch self {
            case .none:
                break
            case .sub:
                for i in stride..<max(stride, n) { row[i] &+= row[i - stride] }
            case .up:
                for i in 0..<n { row[i] &+= previous[i] }
            case .average:
                for i in 0..<n {
                    let left = i >= stride ? Int(row[i - stride]) : 0
                    row[i] &+= UInt8((left + Int(previous[i])) / 2)
                }
            case .paeth:
                for i in 0..<n {
                    let a = i >= stride ? Int(row[i - stride]) : 0, b = Int(previous[i])
                    let c = i >= stride ? Int(previous[i - stride]) : 0
                    row[i] &+= UInt8(Filter.paethPredictor(a, b, c))
                }
            }
        }

        /// The predictor of filter 4: whichever of left a, up b, up-left c is closest to a + b − c (ties: a, b, c).
        static func paethPredictor(_ a: Int, _ b: Int, _ c: Int) -> Int {
            let p = a + b - c
            let pa = abs(p - a), pb = abs(p - b), pc = abs(p - c)
            if pa <= pb && pa <= pc { return a }
            return pb <= pc ? b : c
        }
    }

    /// The samples of one unfiltered row: bit depths below 8 pack pixels from the high bits, 16 is big-endian.
    static func unpack(_ row: [UInt8], bitDepth: Int, into values: inout [Int]) {
        switch bitDepth {
        case 8:
            for i in values.indices { values[i] = Int(row[i]) }
        case 16:
            for i in values.indices { values[i] = Int(row[2 * i]) << 8 | Int(row[2 * i + 1]) }
        default:
            let perByte = 8 / bitDepth, mask = (1 << bitDepth) - 1
            for i in values.indices {
                let shift = 8 - bitDepth * (i % perByte + 1)
                values[i] = Int(row[i / perByte]) >> shift & mask
            }
        }
    }

    /// The file offset of byte `offset` of the concatenated IDAT data.
    static func fileOffset(ofStream offset: Int, in ranges: [(file: Int, stream: Int, count: Int)]) -> Int {
        let range = ranges.last { $0.stream <= offset } ?? ranges[0]
        return range.file + min(offset - range.stream, range.count)
    }

    private static func bigEndian32(_ b: [UInt8], _ i: Int) -> UInt32 {
        UInt32(b[i]) << 24 | UInt32(b[i + 1]) << 16 | UInt32(b[i + 2]) << 8 | UInt32(b[i + 3])
    }
    private static func bigEndian16(_ b: [UInt8], _ i: Int) -> UInt16 { UInt16(b[i]) << 8 | UInt16(b[i + 1]) }
    private static func hex(_ b: UInt8) -> String { b < 16 ? "0" + String(b, radix: 16) : String(b, radix: 16) }
    private static func hex32(_ v: UInt32) -> String {
        let digits = String(v, radix: 16)
        return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
    }
}
