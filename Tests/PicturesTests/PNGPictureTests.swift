import Testing
@testable import Pictures

/// PNG files built byte by byte here (chunks, CRCs, filtered rows), and files from our PNG writer.
@Suite("PNGPicture")
struct PNGPictureTests {
    // MARK: Building files

    func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let typeAndData = Array(type.utf8) + data
        return be32(UInt32(data.count)) + typeAndData + be32(Zlib.crc32(typeAndData[...]))
    }

    func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }

    func ihdr(_ width: Int, _ height: Int, depth: UInt8, colour: UInt8, interlace: UInt8 = 0) -> [UInt8] {
        chunk("IHDR", be32(UInt32(width)) + be32(UInt32(height)) + [depth, colour, 0, 0, interlace])
    }

    /// A file of IHDR, `extra` chunks, the zlib stream of `raw` (filter bytes included) in one IDAT, IEND.
    func file(_ header: [UInt8], raw: [UInt8], extra: [UInt8] = []) throws -> [UInt8] {
        PNGPicture.signature + header + extra + chunk("IDAT", try Zlib.compress(raw)) + chunk("IEND", [])
    }

    /// Filters one row of bytes with `type` (the encoder's side, written out from the specification).
    func filtered(_ row: [UInt8], previous: [UInt8], type: UInt8, stride: Int) -> [UInt8] {
        var out: [UInt8] = [type]
        for i in row.indices {
            let a = i >= stride ? Int(row[i - stride]) : 0, b = Int(previous[i]), c = i >= stride ? Int(previous[i - stride]) : 0
            let prediction: Int
            switch type {
            case 0: prediction = 0
            case 1: prediction = a
            case 2: prediction = b
            case 3: prediction = (a + b) / 2
            default:
                let p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c)
                prediction = pa <= pb && pa <= pc ? a : (pb <= pc ? b : c)
            }
            out.append(row[i] &- UInt8(prediction))
        }
        return out
    }

    /// Rows of bytes filtered with `types[y % types.count]`.
    func filteredRows(_ rows: [[UInt8]], types: [UInt8], stride: Int) -> [UInt8] {
        var previous = [UInt8](repeating: 0, count: rows[0].count), raw: [UInt8] = []
        for (y, row) in rows.enumerated() {
            raw += filtered(row, previous: previous, type: types[y % types.count], stride: stride)
            previous = row
        }
        return raw
    }

    func failure(_ bytes: [UInt8]) -> PictureFileError? {
        do { _ = try PNGPicture.decode(bytes, file: "p.png"); return nil } catch { return error }
    }

    /// A 7×5 picture with every byte different from its neighbours, so that every filter predicts something.
    let texture: [[UInt8]] = (0..<5).map { (y: Int) -> [UInt8] in
        (0..<7).map { (x: Int) -> UInt8 in
            let v: Int = x * 37 + y * 91 + x * y * 13
            return UInt8(v % 256)
        }
    }

    // MARK: Pixels

    @Test("reads what our PNG writer writes (RGB, 8 bits), as Rec. 601 grey")
    func ourWriter() throws {
        let rgb: [UInt8] = (0..<(6 * 4 * 3)).map { UInt8($0 * 3 % 256) }
        let bytes = try PNGImage(width: 6, height: 4, rgb: rgb).encoded()
        let image = try PNGPicture.decode(bytes, file: "w.png")
        #expect(image.width == 6 && image.height == 4)
        for i in 0..<24 {
            let grey = (0.299 * Float(rgb[3 * i]) + 0.587 * Float(rgb[3 * i + 1]) + 0.114 * Float(rgb[3 * i + 2])) / 255
            #expect(abs(image.pixels[i] - grey) < 1e-6, "pixel \(i)")
        }
    }

    @Test("undoes each filter type, on grey, RGB (3-byte stride) and 16-bit grey (2-byte stride)",
          arguments: [0, 1, 2, 3, 4] as [UInt8])
    func filters(_ type: UInt8) throws {
        let grey = try PNGPicture.decodeRaster(file(ihdr(7, 5, depth: 8, colour: 0),
                                                    raw: filteredRows(texture, types: [type], stride: 1)), file: "g.png")
        #expect(grey.samples == texture.flatMap { $0 }.map { Float($0) / 255 })

        let rgbRows = texture.map { row in row.flatMap { [$0, $0 &+ 50, 255 - $0] } }
        let rgb = try PNGPicture.decodeRaster(file(ihdr(7, 5, depth: 8, colour: 2),
                                                   raw: filteredRows(rgbRows, types: [type], stride: 3)), file: "c.png")
        #expect(rgb.channels == 3 && rgb.samples == rgbRows.flatMap { $0 }.map { Float($0) / 255 })

        let wideRows = texture.map { row in row.flatMap { [$0, 255 - $0] } }   // 16-bit samples, big-endian
        let wide = try PNGPicture.decodeRaster(file(ihdr(7, 5, depth: 16, colour: 0),
                                                    raw: filteredRows(wideRows, types: [type], stride: 2)), file: "w.png")
        let expected: [Float] = texture.flatMap { $0 }.map { (v: UInt8) -> Float in
            let sample: Int = Int(v) << 8 | Int(255 - v)
            return Float(sample) / 65535
        }
        #expect(wide.samples == expected)
    }

    @Test("undoes a different filter on every row")
    func mixedFilters() throws {
        let raster = try PNGPicture.decodeRaster(file(ihdr(7, 5, depth: 8, colour: 0),
                                                      raw: filteredRows(texture, types: [4, 1, 3, 0, 2], stride: 1)), file: "m.png")
        #expect(raster.samples == texture.flatMap { $0 }.map { Float($0) / 255 })
    }

    @Test("Paeth on a hand-worked row: predictions from left, up and up-left")
    func paethByHand() throws {
        // Row 0 [10, 20] unfiltered; row 1 Paeth: x0: a=0 b=10 c=0 → p=10 → b; x1: a=15 b=20 c=10 → p=25 → b (20).
        let raw: [UInt8] = [0, 10, 20, 4, 5, 3]
        let raster = try PNGPicture.decodeRaster(file(ihdr(2, 2, depth: 8, colour: 0), raw: raw), file: "p.png")
        #expect(raster.samples.map { Int(($0 * 255).rounded()) } == [10, 20, 15, 23])
    }

    @Test("grey at 1, 2 and 4 bits per pixel unpacks from the high bits, rows padded to a byte")
    func lowBitDepths() throws {
        // 3 pixels per row, 2 rows.
        let one = try PNGPicture.decodeRaster(file(ihdr(3, 2, depth: 1, colour: 0), raw: [0, 0b1010_0000, 0, 0b0110_0000]), file: "1.png")
        #expect(one.samples == [1, 0, 1, 0, 1, 1])
        let two = try PNGPicture.decodeRaster(file(ihdr(3, 2, depth: 2, colour: 0), raw: [0, 0b0001_1011, 0, 0b1110_0100]), file: "2.png")
        #expect(levels(two, 3) == [0, 1, 2, 3, 2, 1])
        let four = try PNGPicture.decodeRaster(file(ihdr(3, 2, depth: 4, colour: 0), raw: [0, 0x0F, 0x50, 0, 0xA3, 0x70]), file: "4.png")
        #expect(levels(four, 15) == [0, 15, 5, 10, 3, 7])
    }

    @Test("palette pictures at 2 bits, with tRNS alpha per entry, composited over black")
    func palette() throws {
        let plte = chunk("PLTE", [255, 0, 0, 0, 255, 0, 0, 0, 255])
        let trns = chunk("tRNS", [255, 0])                                      // entry 1 transparent, 2 opaque
        let bytes = try file(ihdr(4, 1, depth: 2, colour: 3), raw: [0, 0b0001_1000], extra: plte + trns)
        let raster = try PNGPicture.decodeRaster(bytes, file: "p.png")
        #expect(raster.channels == 4)
        #expect(raster.samples == [1, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1, 1, 1, 0, 0, 1])
        let image = try PNGPicture.decode(bytes, file: "p.png")
        #expect(image.pixels == [0.299, 0, 0.114, 0.299])
    }

    @Test("grey + alpha and RGBA are composited over black; tRNS makes one grey value transparent")
    func alpha() throws {
        let ga = try PNGPicture.decode(file(ihdr(2, 1, depth: 8, colour: 4), raw: [0, 255, 255, 255, 0]), file: "a.png")
        #expect(ga.pixels == [1, 0])
        let rgba = try PNGPicture.decode(file(ihdr(1, 1, depth: 8, colour: 6), raw: [0, 0, 255, 0, 51]), file: "b.png")
        #expect(abs(rgba.pixels[0] - 0.587 * 0.2) < 1e-6)
        let keyed = try PNGPicture.decode(file(ihdr(2, 1, depth: 8, colour: 0), raw: [0, 7, 200],
                                               extra: chunk("tRNS", [0, 7])), file: "k.png")
        #expect(keyed.pixels == [0, Float(200) / 255])
    }

    @Test("Adam7: a 3×3 picture from its passes (1, 4, 5, 6, 7; passes 2 and 3 hold no pixel)")
    func interlaced() throws {
        // Pixel values 10·y + x. Pass 1: (0,0). Pass 4: (2,0). Pass 5: (0,2) (2,2). Pass 6: (1,0) (1,2).
        // Pass 7: row 1 whole. Each pass row starts with its filter byte (0).
        let raw: [UInt8] = [0, 0] + [0, 2] + [0, 20, 22] + [0, 1] + [0, 21] + [0, 10, 11, 12]
        let raster = try PNGPicture.decodeRaster(file(ihdr(3, 3, depth: 8, colour: 0, interlace: 1), raw: raw), file: "i.png")
        #expect(raster.samples.map { Int(($0 * 255).rounded()) } == [0, 1, 2, 10, 11, 12, 20, 21, 22])
    }

    @Test("IDAT data may be split over several chunks; ancillary chunks are skipped")
    func splitData() throws {
        let z = try Zlib.compress(filteredRows(texture, types: [1], stride: 1))
        let bytes = PNGPicture.signature + ihdr(7, 5, depth: 8, colour: 0) + chunk("gAMA", [0, 0, 0xB1, 0x8F])
            + chunk("IDAT", Array(z[..<5])) + chunk("IDAT", Array(z[5...])) + chunk("tEXt", Array("a\0b".utf8)) + chunk("IEND", [])
        #expect(try PNGPicture.decodeRaster(bytes, file: "s.png").samples == texture.flatMap { $0 }.map { Float($0) / 255 })
    }

    // MARK: Bad input

    @Test("bad input is an error naming the file, the byte and what was expected")
    func badInput() throws {
        let good = try file(ihdr(7, 5, depth: 8, colour: 0), raw: filteredRows(texture, types: [2], stride: 1))
        let idat = 8 + 25                                                      // signature + IHDR chunk

        let signature = try #require(failure(Array("GIF89a".utf8)))
        #expect(signature.offset == 0 && signature.expected.contains("PNG signature"))
        #expect(failure([])?.found == "an empty file")

        var crc = good
        crc[8 + 8 + 13] ^= 1                                                   // IHDR's CRC
        let crcError = try #require(failure(crc))
        #expect(crcError.offset == 29 && crcError.expected.contains("CRC") && crcError.description.hasPrefix("p.png at byte 29:"))

        var data = good
        data[idat + 8 + 3] ^= 0x55                                             // a compressed byte; CRC made right again
        data.replaceSubrange((idat + 8 + idatLength(good, idat))..<(idat + 12 + idatLength(good, idat)),
                             with: be32(Zlib.crc32(data[(idat + 4)..<(idat + 8 + idatLength(good, idat))])))
        let zlibError = try #require(failure(data))
        #expect(zlibError.offset.map { $0 >= idat + 8 && $0 <= idat + 8 + idatLength(good, idat) } == true,
                "\(zlibError)")

        let truncated = try #require(failure(Array(good[..<(idat + 20)])))
        #expect(truncated.offset == idat && truncated.expected.contains("IDAT chunk of"))
        let noEnd = try #require(failure(Array(good.dropLast(12))))
        #expect(noEnd.expected.contains("IEND") && noEnd.found == "the end of the file")

        let badDepth = try #require(failure(file(ihdr(1, 1, depth: 4, colour: 2), raw: [0, 0, 0, 0])))
        #expect(badDepth.offset == 16 + 8 && badDepth.expected == "a bit depth of 8, 16 for colour type 2" && badDepth.found == "4")
        let huge = try #require(failure(file(ihdr(40_000, 1, depth: 8, colour: 0), raw: [0])))
        #expect(huge.found == "40000×1")
        let many = try #require(failure(file(ihdr(8192, 4096, depth: 8, colour: 0), raw: [0])))
        #expect(many.offset == 16 && many.expected.contains("at most 16777216 pixels"))

        let unknown = try #require(failure(PNGPicture.signature + ihdr(1, 1, depth: 8, colour: 0) + chunk("ZZZZ", [])
                                           + chunk("IDAT", try Zlib.compress([0, 1])) + chunk("IEND", [])))
        #expect(unknown.offset == idat + 4 && unknown.found == "'ZZZZ'")
        let first = try #require(failure(PNGPicture.signature + chunk("IEND", [])))
        #expect(first.offset == 8 && first.expected == "the IHDR chunk first")

        let filter = try #require(failure(file(ihdr(2, 2, depth: 8, colour: 0), raw: [0, 1, 2, 9, 3, 4])))
        #expect(filter.expected.contains("filter type 0…4 at the start of row 1") && filter.found == "9")
        let short = try #require(failure(file(ihdr(2, 2, depth: 8, colour: 0), raw: [0, 1, 2])))
        #expect(short.expected == "6 bytes of pixel rows for 2×2" && short.found == "3")
        let long = try #require(failure(file(ihdr(2, 2, depth: 8, colour: 0), raw: [0, 1, 2, 0, 3, 4, 0])))
        #expect(long.found == "more")

        let noPalette = try #require(failure(file(ihdr(1, 1, depth: 8, colour: 3), raw: [0, 0])))
        #expect(noPalette.expected == "a PLTE chunk before the pixels")
        let index = try #require(failure(file(ihdr(2, 1, depth: 8, colour: 3), raw: [0, 0, 2],
                                              extra: chunk("PLTE", [1, 2, 3, 4, 5, 6]))))
        #expect(index.found == "index 2 at pixel (1, 0)")
    }

    @Test("every truncation and a thousand random byte changes of a file either decode or throw, never trap")
    func mutations() throws {
        let rows = texture.map { row in row.flatMap { [$0, 255 - $0] } }
        let good = try file(ihdr(7, 5, depth: 8, colour: 4, interlace: 1), raw: adam7Rows(rows))
        _ = try PNGPicture.decode(good, file: "g.png")
        for n in 0..<good.count { #expect(failure(Array(good[..<n])) != nil, "prefix of \(n) bytes") }
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Int { state = state &* 6364136223846793005 &+ 1442695040888963407; return Int(state >> 33) }
        for _ in 0..<1000 {
            var bad = good
            for _ in 0...(next() % 3) { bad[next() % bad.count] = UInt8(truncatingIfNeeded: next()) }
            _ = failure(bad)                                   // the test is that this returns
        }
    }

    /// Grey + alpha rows (2 bytes a pixel) cut into Adam7's passes, each row with filter 0.
    func adam7Rows(_ rows: [[UInt8]]) -> [UInt8] {
        var raw: [UInt8] = []
        let height = rows.count, width = rows[0].count / 2
        for (x0, y0, dx, dy) in PNGPicture.adam7 {
            guard x0 < width && y0 < height else { continue }
            for y in stride(from: y0, to: height, by: dy) {
                raw.append(0)
                for x in stride(from: x0, to: width, by: dx) { raw += rows[y][(2 * x)..<(2 * x + 2)] }
            }
        }
        return raw
    }

    /// Samples back on the file's scale 0…maxSample.
    func levels(_ raster: PNGPicture.Raster, _ maxSample: Float) -> [Int] {
        raster.samples.map { (v: Float) -> Int in Int((v * maxSample).rounded()) }
    }

    /// The length field of the chunk at `at`.
    func idatLength(_ bytes: [UInt8], _ at: Int) -> Int {
        bytes[at..<(at + 4)].reduce(0) { $0 << 8 | Int($1) }
    }
}
