import Foundation

/// An 8-bit RGB image and its PNG encoding (signature, IHDR, one IDAT of zlib data, IEND; filter 0 on every row).
/// `PNGPicture` reads such files (and any other PNG) back.
public struct PNGImage: Sendable, Equatable {
    public let width: Int
    public let height: Int
    /// [H, W, 3] bytes, row-major.
    public var rgb: [UInt8]

    public init(width: Int, height: Int, rgb: [UInt8]) {
        precondition(width > 0 && height > 0 && rgb.count == width * height * 3,
                     "an RGB image of \(width)×\(height) needs \(width * height * 3) bytes, got \(rgb.count)")
        self.width = width
        self.height = height
        self.rgb = rgb
    }

    /// The PNG file's bytes.
    public func encoded() throws(PictureWriteError) -> [UInt8] {
        var raw = [UInt8]()                                  // each row: filter byte 0, then W·3 bytes
        raw.reserveCapacity(height * (1 + width * 3))
        for y in 0..<height {
            raw.append(0)
            raw.append(contentsOf: rgb[(y * width * 3)..<((y + 1) * width * 3)])
        }
        let compressed: [UInt8]
        do { compressed = try raw.withUnsafeBytes { bytes throws(Zlib.Failure) in try Zlib.compress(bytes) } }
        catch { throw PictureWriteError.compression("\(error)") }
        var header = [UInt8]()
        header.appendBigEndian(UInt32(width))
        header.appendBigEndian(UInt32(height))
        header += [8, 2, 0, 0, 0]                           // bit depth 8, colour type 2 (RGB), deflate, filter, no interlace
        var file = PNGPicture.signature
        PNGImage.appendChunk("IHDR", header, to: &file)
        PNGImage.appendChunk("IDAT", compressed, to: &file)
        PNGImage.appendChunk("IEND", [], to: &file)
        return file
    }

    /// Writes the PNG to `path` atomically.
    public func write(to path: String) throws(PictureWriteError) {
        let bytes = try encoded()
        do { try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic) }
        catch { throw PictureWriteError.write(path: path, reason: error.localizedDescription) }
    }

    /// length, type, data, CRC-32 of type + data.
    static func appendChunk(_ type: String, _ data: [UInt8], to file: inout [UInt8]) {
        let typeAndData = Array(type.utf8) + data
        file.appendBigEndian(UInt32(data.count))
        file += typeAndData
        file.appendBigEndian(typeAndData.withUnsafeBytes { Zlib.crc32(0, $0) })
    }
}

extension Array where Element == UInt8 {
    mutating func appendBigEndian(_ v: UInt32) {
        append(contentsOf: [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)])
    }
}
