import DVSEvents

/// The events at the sensor's resolution, shrunk to fit a box of terminal cells, with a short decay: what the live
/// view draws (the network's input is tiny — a 10 ms bin of a DVS128 recording resized to 32×32 is a few dots).
///
/// Fed with the pixels that fired since the last draw (`EventCanvas.take()`, 2 bits a pixel), at most once a draw;
/// its buffers are made once, so drawing costs one pass over the sensor's pixels and no allocation per event.
struct SensorPicture {
    let sensor: SensorSize
    /// Sensor pixels per picture pixel along each axis (the same on both, so shapes keep their proportions).
    let scale: Int
    /// Picture pixels across and down (two pixel rows make one text row).
    let width: Int
    let height: Int
    /// What each draw keeps of the levels before: with 0.5 a pixel fades over two draws (about 0.1 s at 20 draws
    /// a second) after its last event.
    var decay: Float = 0.5
    private var on: [Float]        // [height·width] levels in [0, 1], ON events
    private var off: [Float]       // [height·width] levels, OFF events

    /// A picture of `sensor` fitting `columns` text columns and `pixelRows` pixel rows (twice the text rows).
    init(sensor: SensorSize, columns: Int, pixelRows: Int) {
        precondition(columns > 0 && pixelRows > 0, "a picture needs room, got \(columns)×\(pixelRows)")
        self.sensor = sensor
        let (w, h) = (max(sensor.width, 1), max(sensor.height, 1))
        scale = max(1, (w + columns - 1) / columns, (h + pixelRows - 1) / pixelRows)
        width = (w + scale - 1) / scale
        height = (h + scale - 1) / scale
        on = [Float](repeating: 0, count: width * height)
        off = on
    }

    /// Fades what was shown and lights the picture pixels holding a sensor pixel that fired: `packed` is 2 bits a
    /// sensor pixel (pixel i in bits 2(i mod 4)…, ON the low bit), as `EventCanvas.take()` gives them.
    mutating func add(packed: [UInt8]) {
        for i in on.indices {
            on[i] *= decay
            off[i] *= decay
        }
        let pixels = sensor.width * sensor.height
        for b in packed.indices where packed[b] != 0 {
            let byte = packed[b]
            for k in 0..<4 {
                let mark = (byte >> UInt8(2 * k)) & 3
                let i = 4 * b + k
                guard mark != 0, i < pixels else { continue }
                let cell = (i / sensor.width / scale) * width + (i % sensor.width) / scale
                if mark & 1 != 0 { on[cell] = 1 }
                if mark & 2 != 0 { off[cell] = 1 }
            }
        }
    }

    /// The 256-colour code of picture pixel (`y`, `x`): ON orange, OFF blue, both white, bright when it fired since
    /// the last draw and dim while it fades.
    func colour(_ y: Int, _ x: Int) -> Int {
        guard y < height, x < width else { return 16 }
        let (a, b) = (on[y * width + x], off[y * width + x])
        let bright = max(a, b) >= 0.75
        if a >= 0.2 && b >= 0.2 { return bright ? 231 : 245 }
        if a >= 0.2 { return bright ? 208 : 130 }
        if b >= 0.2 { return bright ? 33 : 25 }
        return 16
    }

    /// The picture as rows of half blocks.
    func rows() -> [String] {
        TerminalView.halfBlocks(height: height, width: width) { colour($0, $1) }
    }
}
