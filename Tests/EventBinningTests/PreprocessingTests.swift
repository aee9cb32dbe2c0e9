import Testing
import DVSEvents
@testable import EventBinning

@Suite("Preprocessing")
struct PreprocessingTests {
    func ramp(frames: Int = 2, size: Int = 4) -> Frames {
        var f = Frames(count: frames, height: size, width: size)
        for i in 0..<f.values.count { f.values[i] = Float(i + 1) }
        return f
    }

    @Test("pad + crop shifts every frame and channel by the same offset, filling zeros")
    func padCrop() {
        let f = ramp()
        let aug = Augmentation(padding: 1)
        let out = aug.apply(f, .init(dx: 2, dy: 0, flip: false))     // window starts at (x +1, y −1)
        for t in 0..<2 { for c in 0..<2 {
            #expect(out[t, c, 0, 0] == 0 && out[t, c, 0, 3] == 0)    // row −1 is padding
            #expect(out[t, c, 1, 0] == f[t, c, 0, 1])
            #expect(out[t, c, 3, 3] == 0)                            // column 4 is padding
        } }
        #expect(aug.apply(f, .init(dx: 1, dy: 1, flip: false)) == f)
    }

    @Test("flip mirrors x")
    func flip() {
        let f = ramp()
        let out = Augmentation(flipProbability: 1).apply(f, .init(dx: 0, dy: 0, flip: true))
        #expect(out[1, 1, 2, 0] == f[1, 1, 2, 3] && out[0, 0, 0, 3] == f[0, 0, 0, 0])
    }

    @Test("random draws stay within 0…2·padding and use one offset per sample")
    func draws() {
        var rng = SystemRandomNumberGenerator()
        let aug = Augmentation.paper
        for _ in 0..<200 {
            let d = aug.draw(using: &rng)
            #expect((0...8).contains(d.dx) && (0...8).contains(d.dy) && !d.flip)
        }
    }

    @Test("normalisation uses the paper's per-channel mean and std")
    func normalise() {
        var f = Frames(count: 1, height: 1, width: 1, values: [1, 0])
        ChannelNormalization.paper.apply(&f)
        #expect(abs(f.values[0] - (1 - 0.2728) / 0.2225) < 1e-6)
        #expect(abs(f.values[1] - (0 - 0.1295) / 0.1290) < 1e-6)
    }

    @Test("measured statistics normalise a set to mean 0 and std 1")
    func measured() {
        let f = ramp()
        var g = f
        let n = ChannelNormalization.measured(over: [f])
        n.apply(&g)
        let m = ChannelNormalization.measured(over: [g])
        #expect(abs(m.mean.0) < 1e-4 && abs(m.mean.1) < 1e-4 && abs(m.std.0 - 1) < 1e-4 && abs(m.std.1 - 1) < 1e-4)
    }

    @Test("the paper preset: 128 → 48, crop, normalise; evaluation is deterministic")
    func paperPreset() {
        let frame = goldenCounts(seed: 11, height: 128, width: 128, modulus: 3, zeroPercent: 80)
        let p = Preprocessing.paper()
        let e = p.evaluate(frame)
        #expect(e.height == 48 && e.width == 48 && e.count == 1)
        var resized = FrameResizer(mode: .paper, height: 48, width: 48).resize(frame)
        ChannelNormalization.paper.apply(&resized)
        #expect(e == resized)
        var rng = SystemRandomNumberGenerator()
        #expect(p.train(frame, using: &rng).values.count == 2 * 48 * 48)
    }
}
