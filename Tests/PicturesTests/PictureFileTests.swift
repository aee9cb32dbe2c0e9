import Foundation
import Testing
import TestSupport
@testable import Pictures

@Suite("PictureFile")
struct PictureFileTests {
    @Test("PNG is told by its signature (whatever the name), Netpbm otherwise")
    func dispatch() throws {
        let png = try PNGImage(width: 1, height: 1, rgb: [255, 255, 255]).encoded()
        #expect(try PictureFile.decode(png, file: "x.pgm").pixels.map { ($0 * 1000).rounded() } == [1000])
        #expect(try PictureFile.decode(Array("P2 1 1 4 2".utf8), file: "x.pgm").pixels == [0.5])
    }

    @Test("a file named .png that is not one gets the PNG reader's error, not Netpbm's")
    func namedPNG() {
        let error = #expect(throws: PictureFileError.self) { try PictureFile.decode(Array("P2 1 1 4 2".utf8), file: "y.png") }
        #expect(error?.expected.contains("PNG signature") == true)
    }

    @Test("pictures by extension, any case; a missing file names itself")
    func extensionsAndMissing() {
        #expect(PictureFile.isPicture("a/B.PNG") && PictureFile.isPicture("c.ppm") && PictureFile.isPicture("d.pgm"))
        #expect(!PictureFile.isPicture("e.jpg") && !PictureFile.isPicture("png"))
        let error = #expect(throws: PictureFileError.self) { try PictureFile.read(path: "/nonexistent/z.png") }
        #expect(error?.file == "/nonexistent/z.png" && error?.offset == nil)
    }
}
