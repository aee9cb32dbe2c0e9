import Foundation

/// An animated GIF (GIF89a) written frame by frame, so that a long animation never sits in memory: the header, a
/// global palette of up to 256 colours and the NETSCAPE2.0 loop extension first, then per frame a graphic control
/// extension (its delay) and an LZW-compressed image of palette indices. The file appears at `path` only once
/// `finish()` has written the trailer; until then it grows beside it as `.<name>.partial`, removed on failure.
///
///     let gif = try GIFWriter(path: "out.gif", width: 128, height: 128, palette: [(0, 0, 0), (255, 160, 0)])
///     try gif.add(indices, delay: 3)          // [H·W] palette indices, shown for 3/100 s
///     try gif.finish()
public final class GIFWriter {
    public typealias Colour = (red: UInt8, green: UInt8, blue: UInt8)

    public let path: String
    public let width: Int
    public let height: Int
    /// Frames written so far.
    public private(set) var frameCount = 0
    let colours: Int
    let partialPath: String
    private var handle: FileHandle?

    /// Starts the file; `loops` 0 repeats forever. Throws when the size does not fit GIF's 16-bit fields or the
    /// file cannot be created.
    public init(path: String, width: Int, height: Int, palette: [Colour], loops: Int = 0) throws(PictureWriteError) {
        precondition(!palette.isEmpty && palette.count <= 256, "a GIF palette has 1 to 256 colours, got \(palette.count)")
        precondition((0...65_535).contains(loops), "GIF loop counts are 0 to 65535, got \(loops)")
        guard (1...65_535).contains(width), (1...65_535).contains(height) else {
            throw .write(path: path, reason: "a GIF is 1 to 65535 pixels on each side, not \(width)×\(height)")
        }
        self.path = path
        self.width = width
        self.height = height
        let url = URL(fileURLWithPath: path)
        partialPath = url.deletingLastPathComponent().appendingPathComponent("." + url.lastPathComponent + ".partial").path
        let bits = GIFCompression.minimumCodeSize(colours: palette.count)
        colours = 1 << bits
        var header = Array("GIF89a".utf8)
        header.appendLittleEndian(UInt16(width))
        header.appendLittleEndian(UInt16(height))
        header += [0x80 | UInt8(bits - 1) << 4 | UInt8(bits - 1), 0, 0]     // global table of 2^bits, 8-bit colour
        for i in 0..<colours {
            let c = i < palette.count ? palette[i] : (0, 0, 0)
            header += [c.0, c.1, c.2]
        }
        header += [0x21, 0xFF, 11] + Array("NETSCAPE2.0".utf8) + [3, 1]         // application extension: loops
        header.appendLittleEndian(UInt16(loops))
        header.append(0)
        guard FileManager.default.createFile(atPath: partialPath, contents: Data(header)),
              let h = FileHandle(forWritingAtPath: partialPath) else {
            throw .write(path: path, reason: "cannot create \(partialPath)")
        }
        _ = try? h.seekToEnd()
        handle = h
    }

    deinit {
        if let handle {
            try? handle.close()
            try? FileManager.default.removeItem(atPath: partialPath)
        }
    }

    /// Appends a frame: [H·W] palette indices, row-major, each below the palette's size; shown for `delay`
    /// hundredths of a second (0 to 65535).
    public func add(_ indices: [UInt8], delay: Int) throws(PictureWriteError) {
        precondition(indices.count == width * height, "a \(width)×\(height) frame has \(width * height) indices, got \(indices.count)")
        precondition((0...65_535).contains(delay), "GIF delays are 0 to 65535 centiseconds, got \(delay)")
        let bits = GIFCompression.minimumCodeSize(colours: colours)
        var block: [UInt8] = [0x21, 0xF9, 4, 0x04]                              // graphic control: keep the frame
        block.appendLittleEndian(UInt16(delay))
        block += [0, 0, 0x2C, 0, 0, 0, 0]                                      // no transparency; image at (0, 0)
        block.appendLittleEndian(UInt16(width))
        block.appendLittleEndian(UInt16(height))
        block += [0, UInt8(bits)]                                              // global palette, LZW code size
        block += GIFCompression.subBlocks(GIFCompression.compress(indices, minimumCodeSize: bits))
        try write(block)
        frameCount += 1
    }

    /// Writes the trailer and moves the file into place.
    public func finish() throws(PictureWriteError) {
        try write([0x3B])
        guard let h = handle else { return }
        handle = nil
        do {
            try h.close()
            if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
            try FileManager.default.moveItem(atPath: partialPath, toPath: path)
        } catch {
            try? FileManager.default.removeItem(atPath: partialPath)
            throw .write(path: path, reason: error.localizedDescription)
        }
    }

    private func write(_ bytes: [UInt8]) throws(PictureWriteError) {
        guard let handle else { throw .write(path: path, reason: "the GIF is already finished") }
        do { try handle.write(contentsOf: Data(bytes)) } catch { throw .write(path: path, reason: error.localizedDescription) }
    }
}

extension Array where Element == UInt8 {
    mutating func appendLittleEndian(_ v: UInt16) {
        append(contentsOf: [UInt8(v & 0xFF), UInt8(v >> 8)])
    }
}
