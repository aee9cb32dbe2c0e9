import DVSEvents

/// The binary message the view sends each browser about 30 times a second (little-endian):
///
///     offset  0  u8  version (1)            1  u8  C, channels of the network input
///             2  u16 sensor width            4  u16 sensor height
///             6  u16 input height H          8  u16 input width W          10 u16 reserved
///            12  u32 events since the last message
///            16  f32 seconds since the last message
///            20  u32 bytes of state JSON    24  u32 bytes of event marks
///            28  event marks: 2 bits a pixel, row-major, pixel i at bits 2(i mod 4) (ON low, OFF high)
///                then the network input, C·H·W bytes, each channel scaled to its maximum (0–255)
///                then the state JSON (UTF-8): {"prediction":{…the --json object…},"view":{…}}
enum ViewMessage {
    static let version: UInt8 = 1
    static let headerSize = 28

    static func encode(sensor: SensorSize, marks: [UInt8], events: Int, seconds: Float, input: [Float], shape: [Int],
                       json: String) -> [UInt8] {
        let (c, h, w) = shape.count == 3 ? (shape[0], shape[1], shape[2]) : (0, 0, 0)
        let plane = h * w
        let inputBytes = input.count == c * plane ? c * plane : 0
        let text = Array(json.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(headerSize + marks.count + inputBytes + text.count)
        out.append(version)
        out.append(UInt8(clamping: inputBytes > 0 ? c : 0))
        append16(&out, sensor.width); append16(&out, sensor.height)
        append16(&out, inputBytes > 0 ? h : 0); append16(&out, inputBytes > 0 ? w : 0); append16(&out, 0)
        append32(&out, UInt32(clamping: events))
        append32(&out, seconds.bitPattern)
        append32(&out, UInt32(clamping: text.count))
        append32(&out, UInt32(clamping: marks.count))
        out += marks
        if inputBytes > 0 {
            for k in 0..<c {
                let channel = input[(k * plane)..<((k + 1) * plane)]
                let top = channel.reduce(0) { max($0, abs($1)) }
                let scale = top > 0 ? 255 / top : 0
                for v in channel { out.append(UInt8(min(255, (abs(v) * scale).rounded()))) }
            }
        }
        out += text
        return out
    }

    private static func append16(_ out: inout [UInt8], _ v: Int) {
        let u = UInt16(clamping: v)
        out.append(UInt8(u & 0xff)); out.append(UInt8(u >> 8))
    }

    private static func append32(_ out: inout [UInt8], _ u: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { out.append(UInt8((u >> UInt32(shift)) & 0xff)) }
    }
}
