import DVSEvents
import Testing
import WebView
@testable import ottt

/// A text row of half blocks decoded: the (foreground, background) colour of each column.
func decodeHalfBlocks(_ row: String) -> [(top: Int, bottom: Int)] {
    var out: [(top: Int, bottom: Int)] = []
    var (fg, bg) = (-1, -1)
    var rest = Substring(row)
    while let c = rest.first {
        if c == "\u{1B}" {
            guard let m = rest.firstIndex(of: "m") else { break }
            let codes = rest[rest.index(rest.startIndex, offsetBy: 2)..<m].split(separator: ";").compactMap { Int($0) }
            if codes.count == 3 && codes[0] == 38 { fg = codes[2] }
            if codes.count == 3 && codes[0] == 48 { bg = codes[2] }
            rest = rest[rest.index(after: m)...]
        } else {
            if c == "▀" { out.append((fg, bg)) }
            rest = rest.dropFirst()
        }
    }
    return out
}

@Suite("The sensor picture: events at the sensor's resolution, shrunk to the terminal, fading")
struct SensorPictureTests {
    /// Events through the canvas the view reads, as the session feeds it.
    static func marks(_ events: [Event], sensor: SensorSize) -> [UInt8] {
        let canvas = EventCanvas(sensor: sensor)
        canvas.add(EventBuffer(events))
        canvas.advance(to: .max)
        return canvas.take().packed
    }

    @Test("a DVS128 frame in a 64-column box: 2×2 sensor pixels a cell, 32 text rows of 64, each event where it fired")
    func dvs128() {
        let sensor = SensorSize(width: 128, height: 128)
        var picture = SensorPicture(sensor: sensor, columns: 64, pixelRows: 80)
        #expect(picture.scale == 2 && picture.width == 64 && picture.height == 64)
        // ON at (100, 20) → cell (50, 10): text row 5, top half. OFF at (7, 127) → cell (3, 63): row 31, bottom
        // half. Both at (64, 64) and (65, 65) → the same cell (32, 32): row 16, top half, white.
        picture.add(packed: Self.marks([Event(t: 1, x: 100, y: 20, on: true), Event(t: 2, x: 7, y: 127, on: false),
                                        Event(t: 3, x: 64, y: 64, on: true), Event(t: 4, x: 65, y: 65, on: false)],
                                       sensor: sensor))
        let rows = picture.rows().map(decodeHalfBlocks)
        #expect(rows.count == 32)
        #expect(rows.allSatisfy { $0.count == 64 })
        var lit: [String] = []
        for (r, row) in rows.enumerated() {
            for (x, c) in row.enumerated() {
                if c.top != 16 { lit.append("\(x),\(2 * r):\(c.top)") }
                if c.bottom != 16 { lit.append("\(x),\(2 * r + 1):\(c.bottom)") }
            }
        }
        #expect(lit.sorted() == ["3,63:33", "32,32:231", "50,10:208"].sorted(), "\(lit)")
    }

    @Test("fits the box on both axes and keeps proportions", arguments: [
        (640, 480, 64, 64, 10, 64, 48), (346, 260, 96, 40, 7, 50, 38), (32, 32, 64, 64, 1, 32, 32), (1280, 720, 96, 96, 14, 92, 52),
    ])
    func fits(w: Int, h: Int, columns: Int, pixelRows: Int, scale: Int, width: Int, height: Int) {
        let p = SensorPicture(sensor: SensorSize(width: w, height: h), columns: columns, pixelRows: pixelRows)
        #expect(p.scale == scale && p.width == width && p.height == height)
        #expect(p.width <= columns && p.height <= pixelRows)
    }

    @Test("a pixel is bright when it fired since the last draw, dim for two draws after, then dark")
    func decay() {
        let sensor = SensorSize(width: 4, height: 2)
        var picture = SensorPicture(sensor: sensor, columns: 4, pixelRows: 2)
        picture.add(packed: Self.marks([Event(t: 1, x: 1, y: 0, on: true)], sensor: sensor))
        var seen = [picture.colour(0, 1)]
        for _ in 0..<3 {
            picture.add(packed: Self.marks([], sensor: sensor))
            seen.append(picture.colour(0, 1))
        }
        #expect(seen == [208, 130, 130, 16])
    }
}
