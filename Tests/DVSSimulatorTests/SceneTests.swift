import DVSEvents
import Pictures
import Testing
@testable import DVSSimulator

@Suite("Scenes")
struct SceneTests {
    @Test("Affine2 composes right to left and rotates clockwise on screen")
    func affine() {
        let p = Affine2.rotation(Double.pi / 2).apply(Point2(1, 0))
        #expect(abs(p.x) < 1e-12 && abs(p.y - 1) < 1e-12, "right turns to down")
        let m = Affine2.translation(10, 0).after(.scaling(2, 3))
        #expect(m.apply(Point2(1, 1)) == Point2(12, 3))
    }

    @Test("saccades start and end at rest, reach each corner on time, and close the triangle")
    func saccades() {
        var random = SimulatorRandom(seed: 1)
        let path = SaccadeScene.trianglePath(amplitude: 3, random: &random)
        #expect(path.count == 4 && path.first == path.last)
        let scene = SaccadeScene(size: SensorSize(width: 4, height: 4), duration: 300_000,
                                 world: GrayImage(width: 8, height: 8), margin: 2, path: path)
        #expect(scene.offset(at: 0) == path[0])
        #expect(scene.offset(at: 100_000) == path[1])
        #expect(scene.offset(at: 200_000) == path[2])
        #expect(scene.offset(at: 300_000) == path[3])
        let half = scene.offset(at: 50_000)
        #expect(abs(half.x - (path[0].x + path[1].x) / 2) < 1e-9, "half-way at half time (raised cosine)")
    }

    @Test("a sliding pattern shows at t what stood v·t behind at 0; a turning one keeps its centre")
    func motion() {
        var random = SimulatorRandom(seed: 4)
        let tile = GrayImage.valueNoise(width: 16, height: 16, cell: 4, mean: 0.5, amplitude: 0.4, periodic: true,
                                        random: &random)
        let size = SensorSize(width: 8, height: 8)
        let slide = MotionScene(size: size, duration: 300_000, tile: tile, origin: Point2(3, 5),
                                motion: .translation(vx: 20, vy: -10))
        var before = GrayImage(width: 8, height: 8), after = GrayImage(width: 8, height: 8)
        slide.render(at: 0, into: &before)
        slide.render(at: 100_000, into: &after)  // moved 2 px right and 1 px up
        for y in 0..<7 {
            for x in 2..<8 { #expect(abs(after[x, y] - before[x - 2, y + 1]) < 1e-5) }
        }
        let turn = MotionScene(size: SensorSize(width: 9, height: 9), duration: 300_000, tile: tile,
                               origin: Point2(0, 0), motion: .rotation(radiansPerSecond: 2))
        var a = GrayImage(width: 9, height: 9), b = GrayImage(width: 9, height: 9)
        turn.render(at: 0, into: &a)
        turn.render(at: 250_000, into: &b)
        #expect(abs(a[4, 4] - b[4, 4]) < 1e-5, "the centre pixel does not move")
        #expect(a != b)
    }

    /// A uniform scene whose brightness steps from 0.2 to 0.6 at 5 ms.
    struct Step: Scene {
        let size = SensorSize(width: 3, height: 2)
        let duration: Microseconds = 10_000
        func render(at t: Microseconds, into image: inout GrayImage) {
            image = GrayImage(width: 3, height: 2, value: t < 5_000 ? 0.2 : 0.6)
        }
    }

    @Test("the simulator renders every frame interval and offsets event times by the start")
    func simulator() {
        var simulator = EventSimulator(sensor: SensorSize(width: 3, height: 2), parameters: .ideal, frameInterval: 1000,
                                       seed: 1)
        var random = SimulatorRandom(seed: 1)
        let events = EventBuffer()
        simulator.simulate(Step(), startingAt: 70_000, random: &random, into: events)
        // log(0.61/0.21) = 1.066: five ON events per pixel (θ = 0.2) within the frame interval [74 ms, 75 ms).
        #expect(events.count == 6 * 5)
        #expect(events.p.allSatisfy { $0 == 1 })
        #expect(events.t.allSatisfy { $0 >= 74_000 && $0 < 75_000 })
        #expect(Set(events.events.map { "\($0.x),\($0.y)" }).count == 6)
    }
}
