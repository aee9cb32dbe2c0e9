import Testing
@testable import Pictures

@Suite("PortableAnymap")
struct PortableAnymapTests {
    func decode(_ text: String) throws -> GrayImage {
        try PortableAnymap.decode(Array(text.utf8), file: "x.pgm")
    }

    @Test("reads ASCII grey (P2) with comments")
    func asciiGray() throws {
        let image = try decode("P2\n# a comment\n3 2\n# another\n4\n0 1 2\n3 4 0\n")
        #expect(image.width == 3 && image.height == 2)
        #expect(image.pixels == [0, 0.25, 0.5, 0.75, 1, 0])
    }

    @Test("reads binary grey (P5), 8 and 16 bits")
    func binaryGray() throws {
        let eight = try PortableAnymap.decode(Array("P5 2 1 255\n".utf8) + [0, 255], file: "a.pgm")
        #expect(eight.pixels == [0, 1])
        let sixteen = try PortableAnymap.decode(Array("P5 2 1 65535\n".utf8) + [0x80, 0x00, 0xFF, 0xFF], file: "b.pgm")
        #expect(abs(sixteen.pixels[0] - 32768.0 / 65535) < 1e-6 && sixteen.pixels[1] == 1)
    }

    @Test("reads colour (P3, P6) as Rec. 601 luma")
    func colour() throws {
        let ascii = try decode("P3 2 1 255 255 0 0  0 0 255")
        #expect(abs(ascii.pixels[0] - 0.299) < 1e-6 && abs(ascii.pixels[1] - 0.114) < 1e-6)
        let binary = try PortableAnymap.decode(Array("P6 1 1 255\n".utf8) + [0, 255, 0], file: "c.ppm")
        #expect(abs(binary.pixels[0] - 0.587) < 1e-6)
    }

    @Test("round-trips through the PGM encoder")
    func roundTrip() throws {
        let image = GrayImage(width: 2, height: 2, pixels: [0, 1, 0.2, 0.6])
        let back = try PortableAnymap.decode(PortableAnymap.encodePGM(image), file: "r.pgm")
        #expect(zip(back.pixels, image.pixels).allSatisfy { abs($0 - $1) <= 0.5 / 255 + 1e-6 })
    }

    @Test("bad files say where and what", arguments: [
        ("GIF89a", 0, "a PGM or PPM magic number (P2, P3, P5, P6)"),
        ("P5 2 2 255\n\u{1}\u{2}", 13, "4 samples for 2×2"),
        ("P5 30000 30000 255\n\u{1}", 20, "900000000 samples for 30000×30000"),
        ("P5 2 1 65535\n\u{1}\u{2}\u{3}", 16, "4 bytes of samples for 2×1"),
        ("P2 2 1 10 3 11", 14, "a sample ≤ 10"),
        ("P2 2 x", 5, "the height (a decimal number)"),
        ("P5 0 3 255\n", 10, "a size of 1…32768 per side"),
        ("P2 1 1 70000 0", 12, "a maximum value of 1…65535"),
    ])
    func errors(_ text: String, _ offset: Int, _ expected: String) {
        let error = #expect(throws: PictureFileError.self) { try decode(text) }
        #expect(error?.offset == offset, "\(String(describing: error))")
        #expect(error?.expected == expected, "\(String(describing: error))")
    }
}
