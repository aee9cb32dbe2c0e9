import DVSEvents
import Testing
@testable import DVSCamera

@Suite("Sensor geometry")
struct SensorGeometryTests {
    @Test("orientation register bits: 4 swap, 2 flip X, 1 flip Y", arguments: [
        (UInt32(0), 5, 7), (1, 5, 172), (2, 234, 7), (4, 7, 5), (7, 172, 234),
    ])
    func orientation(bits: UInt32, x: Int, y: Int) {
        let g = SensorGeometry(rawWidth: 240, rawHeight: 180, orientation: bits)
        let m = g.map(x: 5, y: 7)
        #expect(Int(m.x) == x && Int(m.y) == y)
        #expect(g.sensor.contains(x: x, y: y))
    }
}
