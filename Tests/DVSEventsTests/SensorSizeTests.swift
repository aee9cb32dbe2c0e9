import DVSEvents
import Testing

@Suite("sensor sizes")
struct SensorSizeTests {
    @Test("an extent is rounded up to the smallest known sensor that holds it, else kept",
          arguments: [(1, 1, SensorSize.dvs128, "DVS128"), (128, 128, .dvs128, "DVS128"), (129, 10, .davis240, "DAVIS240"),
                      (241, 10, .davis346, "DAVIS346"), (10, 261, .dvxplorer, "Prophesee Gen3 / DVXplorer"),
                      (641, 1, .gen4, "Prophesee Gen4"), (1280, 720, .gen4, "Prophesee Gen4")])
    func known(width: Int, height: Int, sensor: SensorSize, name: String) throws {
        let inferred = try #require(SensorSize.inferred(width: width, height: height))
        #expect(inferred.size == sensor)
        #expect(inferred.name == name)
    }

    @Test("beyond every known sensor the extent itself; nothing without events")
    func unknown() throws {
        let wide = try #require(SensorSize.inferred(width: 1281, height: 5))
        #expect(wide.size == SensorSize(width: 1281, height: 5) && wide.name == nil)
        #expect(SensorSize.inferred(width: 0, height: 0) == nil)
    }
}
