import Foundation

/// Netpbm grey and colour pictures (PGM P2/P5, PPM P3/P6, maxval up to 65535): read into linear grey intensities.
///
/// Samples are taken as linear light scaled by maxval (the Netpbm format says they are gamma-encoded; for a scene
/// the difference only changes contrast a little). Colour becomes grey with Rec. 601 luma weights.
public enum PortableAnymap {
    /// The file extensions read here.
    public static let extensions: Set<String> = ["pgm", "ppm", "pnm"]

    /// Decodes a whole file's bytes.
    public static func decode(_ bytes: [UInt8], file: String) throws(PictureFileError) -> GrayImage {
        var cursor = Cursor(bytes: bytes, file: file)
        guard bytes.count >= 2, bytes[0] == UInt8(ascii: "P"),
              let kind = [UInt8(ascii: "2"), UInt8(ascii: "3"), UInt8(ascii: "5"), UInt8(ascii: "6")]
                .firstIndex(of: bytes[1]) else {
            let head = bytes.prefix(2).map { String(format: "%02x", $0) }.joined(separator: " ")
            throw PictureFileError(file: file, offset: 0, expected: "a PGM or PPM magic number (P2, P3, P5, P6)",
                                   found: head.isEmpty ? "an empty file" : "bytes \(head)")
        }
        cursor.position = 2
        let ascii = kind < 2
        let channels = kind % 2 == 0 ? 1 : 3
        let width = try cursor.headerNumber("the width")
        let height = try cursor.headerNumber("the height")
        let maxval = try cursor.headerNumber("the maximum value")
        guard width > 0, height > 0, width <= 1 << 15, height <= 1 << 15 else {
            throw PictureFileError(file: file, offset: cursor.position, expected: "a size of 1…32768 per side",
                                   found: "\(width)×\(height)")
        }
        guard (1...65535).contains(maxval) else {
            throw PictureFileError(file: file, offset: cursor.position, expected: "a maximum value of 1…65535",
                                   found: String(maxval))
        }
        let count = width * height * channels
        // Every sample takes at least one byte: a file too short for its size is refused before any allocation.
        guard count <= bytes.count - cursor.position else {
            throw PictureFileError(file: file, offset: bytes.count,
                                   expected: "\(count) samples for \(width)×\(height)",
                                   found: "\(bytes.count - cursor.position) bytes left")
        }
        var samples = [Int](repeating: 0, count: count)
        if ascii {
            for k in 0..<count {
                samples[k] = try cursor.headerNumber("sample \(k) of \(count)")
                guard samples[k] <= maxval else {
                    throw PictureFileError(file: file, offset: cursor.position,
                                           expected: "a sample ≤ \(maxval)", found: String(samples[k]))
                }
            }
        } else {
            // Exactly one whitespace byte separates the header from the binary samples.
            cursor.position += 1
            let size = maxval < 256 ? 1 : 2
            guard bytes.count - cursor.position >= count * size else {
                throw PictureFileError(file: file, offset: bytes.count,
                                       expected: "\(count * size) bytes of samples for \(width)×\(height)",
                                       found: "\(max(0, bytes.count - cursor.position)) bytes")
            }
            for k in 0..<count {
                let p = cursor.position + k * size
                samples[k] = size == 1 ? Int(bytes[p]) : Int(bytes[p]) << 8 | Int(bytes[p + 1])
                guard samples[k] <= maxval else {
                    throw PictureFileError(file: file, offset: p, expected: "a sample ≤ \(maxval)",
                                           found: String(samples[k]))
                }
            }
        }
        let scale = 1 / Float(maxval)
        var image = GrayImage(width: width, height: height)
        for i in 0..<(width * height) {
            if channels == 1 {
                image.pixels[i] = Float(samples[i]) * scale
            } else {
                let r = Float(samples[3 * i]), g = Float(samples[3 * i + 1]), b = Float(samples[3 * i + 2])
                image.pixels[i] = (0.299 * r + 0.587 * g + 0.114 * b) * scale
            }
        }
        return image
    }

    /// Encodes an image as a binary 8-bit PGM (P5), intensities clamped to [0, 1] (for previews and tests).
    public static func encodePGM(_ image: GrayImage) -> [UInt8] {
        var out = Array("P5\n\(image.width) \(image.height)\n255\n".utf8)
        out += image.pixels.map { UInt8((min(max($0, 0), 1) * 255).rounded()) }
        return out
    }

    /// Reads the ASCII numbers of a header (and of P2/P3 bodies), skipping whitespace and `#` comments.
    private struct Cursor {
        let bytes: [UInt8]
        let file: String
        var position = 0

        mutating func headerNumber(_ what: String) throws(PictureFileError) -> Int {
            while position < bytes.count {
                let b = bytes[position]
                if b == UInt8(ascii: "#") {
                    while position < bytes.count && bytes[position] != UInt8(ascii: "\n") { position += 1 }
                } else if b == 0x20 || (0x09...0x0D).contains(b) {
                    position += 1
                } else {
                    break
                }
            }
            let start = position
            var value = 0
            while position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]) {
                value = value * 10 + Int(bytes[position] - UInt8(ascii: "0"))
                position += 1
                guard value <= 1 << 30 else {
                    throw PictureFileError(file: file, offset: start, expected: what, found: "a number too large")
                }
            }
            guard position > start else {
                let found = start < bytes.count ? "byte 0x\(String(bytes[start], radix: 16))" : "the end of the file"
                throw PictureFileError(file: file, offset: start, expected: "\(what) (a decimal number)", found: found)
            }
            return value
        }
    }
}
