import DVSEvents
import Foundation
import Pictures

/// An array of DVS pixels fed with rendered frames.
///
/// Each pixel remembers a log intensity (its reference). Between two frames the input log intensity is taken to
/// change linearly in time (ESIM, Rebecq et al. 2018; v2e spaces events the same way); whenever the difference
/// D = L(t) − reference reaches +θ_on the pixel emits an ON event at the interpolated time and the reference rises
/// by θ_on; at −θ_off an OFF event and the reference falls by θ_off. Per pixel: mismatched thresholds, a
/// refractory period, a leak of the reference (background ON activity) and shot noise.
///
/// Legend: N pixels (H×W, row-major, index i = y·W + x); t0, t1 the times of the previous and current frame.
public struct DVSPixelArray {
    public let sensor: SensorSize
    public let parameters: PixelParameters

    /// Per-pixel ON and OFF thresholds, [N], fixed at creation (the sensor's fixed-pattern mismatch).
    public private(set) var onThresholds: [Float]
    public private(set) var offThresholds: [Float]
    /// How fast each reference leaks downwards, in log units per µs, [N].
    private var leakPerMicrosecond: [Double]
    /// The memorised log intensity of each pixel, [N].
    private var reference: [Double]
    /// The input log intensity at the last frame, [N].
    private var lastLog: [Double]
    /// The time of each pixel's last event, [N].
    private var lastEvent: [Microseconds]
    /// The time of the last frame.
    public private(set) var time: Microseconds = 0
    /// When the next candidate shot-noise event falls (µs, fractional).
    private var nextNoise: Double = .infinity
    /// Scratch: the frame's log intensities [N], and the events of one interval as sortable keys.
    private var scratchLog: [Float]
    private var keys: [UInt64] = []

    /// Pixels of one event key: bits 1…22 hold the pixel index, bit 0 the polarity, the rest the time offset.
    private static let indexBits: UInt64 = 22

    /// A pixel array whose mismatch (thresholds, leak rates) is fixed by `seed`.
    public init(sensor: SensorSize, parameters: PixelParameters = PixelParameters(), seed: UInt64) {
        precondition(sensor.pixelCount < 1 << Int(DVSPixelArray.indexBits),
                     "the simulator handles fewer than \(1 << Int(DVSPixelArray.indexBits)) pixels, got \(sensor)")
        precondition(sensor.width <= Int(UInt16.max) + 1 && sensor.height <= Int(UInt16.max) + 1,
                     "sensor \(sensor) does not fit 16-bit coordinates")
        self.sensor = sensor
        self.parameters = parameters
        let n = sensor.pixelCount
        var random = SimulatorRandom(seed: seed, stream: 0x5E75_0B)
        func threshold(_ nominal: Float) -> Float {
            let drawn = nominal + parameters.thresholdSigma * Float(random.normal())
            return max(PixelParameters.minimumThreshold, parameters.thresholdSigma > 0 ? drawn : nominal)
        }
        onThresholds = (0..<n).map { _ in threshold(parameters.onThreshold) }
        offThresholds = (0..<n).map { _ in threshold(parameters.offThreshold) }
        // v2e: the leak rate of a pixel is log-normal around the nominal; the reference falls by θ_on per leak event.
        let on = onThresholds
        leakPerMicrosecond = (0..<n).map { i in
            guard parameters.leakRate > 0 else { return 0 }
            let rate = parameters.leakRate * pow(10, parameters.leakRateSpreadDecades * random.normal())
            return rate * 1e-6 * Double(on[i])
        }
        reference = [Double](repeating: 0, count: n)
        lastLog = [Double](repeating: 0, count: n)
        lastEvent = [Microseconds](repeating: .min / 2, count: n)
        scratchLog = [Float](repeating: 0, count: n)
    }

    /// log(I + ε) for a linear intensity (I < 0 counts as 0).
    ///
    /// Computed here rather than by the C library, so that every machine makes the same events, and fast: with
    /// x = m·2^e, m in [√½, √2), log x = e·ln 2 + 2·atanh(t), t = (m − 1)/(m + 1), |t| < 0.172, and the series
    /// 2(t + t³/3 + t⁵/5 + t⁷/7) errs by less than 1e-7.
    @inlinable
    public static func logIntensity(_ intensity: Float, epsilon: Float) -> Float {
        let x = max(intensity, 0) + epsilon
        precondition(x >= .leastNormalMagnitude && x.isFinite, "log intensity needs a normal positive value, got \(x)")
        // x = m·2^e with m in [1, 2), read from the bits of the normal float x.
        let bits = x.bitPattern
        var e = Int((bits >> 23) & 0xFF) - 127
        var m = Float(bitPattern: (bits & 0x7F_FFFF) | 0x3F80_0000)
        if m > 1.41421356 {
            m *= 0.5
            e += 1
        }
        let t = (m - 1) / (m + 1), t2 = t * t
        let series = 2 * t * (1 + t2 * (1 / 3 + t2 * (1 / 5 + t2 * (1 / 7))))
        return Float(e) * 0.693147180559945 + series
    }

    /// Starts the pixels afresh on `frame` at time `t`: references set to the input (± jitter), no refractory
    /// state. Thresholds and leak rates are kept: it is the same sensor.
    public mutating func reset(to frame: GrayImage, at t: Microseconds, random: inout SimulatorRandom) {
        convert(frame)
        reset(logIntensity: scratchLog, at: t, random: &random)
    }

    /// `reset(to:at:random:)` with log intensities given directly, [N].
    public mutating func reset(logIntensity: [Float], at t: Microseconds, random: inout SimulatorRandom) {
        precondition(logIntensity.count == sensor.pixelCount,
                     "reset needs \(sensor.pixelCount) log intensities for \(sensor), got \(logIntensity.count)")
        let jitter = Double(parameters.resetJitter)
        for i in 0..<sensor.pixelCount {
            let l = Double(logIntensity[i])
            lastLog[i] = l
            // D starts uniformly in (−jitter·θ_off, +jitter·θ_on).
            let u = jitter > 0 ? random.uniform() : 0.5
            let d = jitter * (-Double(offThresholds[i]) + u * Double(onThresholds[i] + offThresholds[i]))
            reference[i] = l - d
            lastEvent[i] = .min / 2
        }
        time = t
        nextNoise = parameters.shotNoiseRate > 0
            ? Double(t) + random.exponential(rate: noiseRatePerMicrosecond) : .infinity
    }

    /// The candidate shot-noise rate of the whole array (before thinning by intensity), per µs.
    private var noiseRatePerMicrosecond: Double {
        parameters.shotNoiseRate * Double(sensor.pixelCount) * 1e-6
    }

    /// Advances to `frame` rendered at `t` and appends the events of [previous frame's time, t) in time order
    /// (then pixel order).
    public mutating func step(to frame: GrayImage, at t: Microseconds, random: inout SimulatorRandom,
                              into buffer: EventBuffer) {
        convert(frame)
        let log = scratchLog
        step(logIntensity: log, at: t, random: &random, into: buffer)
    }

    /// `step(to:at:random:into:)` with log intensities given directly, [N].
    public mutating func step(logIntensity: [Float], at t1: Microseconds, random: inout SimulatorRandom,
                              into buffer: EventBuffer) {
        precondition(logIntensity.count == sensor.pixelCount,
                     "step needs \(sensor.pixelCount) log intensities for \(sensor), got \(logIntensity.count)")
        precondition(t1 > time, "frames must move forward in time: \(t1) µs after \(time) µs")
        let t0 = time
        keys.removeAll(keepingCapacity: true)
        crossings(logIntensity, from: t0, to: t1)
        shotNoise(logIntensity, from: t0, to: t1, random: &random)
        keys.sort()
        emit(from: t0, into: buffer)
        time = t1
    }

    /// Threshold crossings of every pixel between t0 and t1: the pure part of the model. Times are rounded to
    /// the µs and kept in [t0, t1), so that the events of a scene lie in [start, end).
    private mutating func crossings(_ logIntensity: [Float], from t0: Microseconds, to t1: Microseconds) {
        let dt = Double(t1 - t0)
        let refractory = parameters.refractoryPeriod
        var keys = self.keys
        defer { self.keys = keys }
        /// Keeps the event of pixel i at time t unless the pixel is refractory.
        func record(_ i: Int, _ t: Microseconds, _ on: Bool, _ lastEvent: UnsafeMutablePointer<Microseconds>) {
            guard t - lastEvent[i] >= refractory else { return }
            lastEvent[i] = t
            keys.append(DVSPixelArray.key(offset: t - t0, pixel: i, on: on))
        }
        logIntensity.withUnsafeBufferPointer { input in
        onThresholds.withUnsafeBufferPointer { onThresholds in
        offThresholds.withUnsafeBufferPointer { offThresholds in
        leakPerMicrosecond.withUnsafeBufferPointer { leak in
        reference.withUnsafeMutableBufferPointer { reference in
        lastLog.withUnsafeMutableBufferPointer { lastLog in
        lastEvent.withUnsafeMutableBufferPointer { lastEvent in
            let lastEvent = lastEvent.baseAddress!
            for i in 0..<input.count {
                let l1 = Double(input[i])
                let ref0 = reference[i]
                let ref1 = ref0 - leak[i] * dt
                // D at the previous frame and at this one; in between it moves linearly.
                let d0 = lastLog[i] - ref0
                let d1 = l1 - ref1
                let on = Double(onThresholds[i]), off = Double(offThresholds[i])
                var newReference = ref1
                if d1 >= on {
                    // ON crossings where D = k·θ_on, k = 1, 2, …, reached at s = (k·θ_on − d0)/(d1 − d0).
                    var k = 1.0
                    while k * on <= d1 {
                        let s = min(max((k * on - d0) / (d1 - d0), 0), 1)
                        record(i, t0 + Microseconds(min((s * dt).rounded(), dt - 1)), true, lastEvent)
                        k += 1
                    }
                    newReference = ref1 + (k - 1) * on
                } else if d1 <= -off {
                    // OFF crossings where D = −k·θ_off.
                    var k = 1.0
                    while -k * off >= d1 {
                        let s = min(max((d0 + k * off) / (d0 - d1), 0), 1)
                        record(i, t0 + Microseconds(min((s * dt).rounded(), dt - 1)), false, lastEvent)
                        k += 1
                    }
                    newReference = ref1 - (k - 1) * off
                }
                reference[i] = newReference
                lastLog[i] = l1
            }
        }}}}}}}
    }

    /// An event as a sortable key: time offset in the high bits, then pixel index, then polarity in bit 0.
    @inline(__always)
    private static func key(offset: Microseconds, pixel i: Int, on: Bool) -> UInt64 {
        UInt64(offset) << (indexBits + 1) | UInt64(i) << 1 | (on ? 1 : 0)
    }

    /// Shot noise in [t0, t1): a Poisson process over the array at the dark rate, thinned by each pixel's intensity.
    private mutating func shotNoise(_ logIntensity: [Float], from t0: Microseconds, to t1: Microseconds,
                                    random: inout SimulatorRandom) {
        let rate = noiseRatePerMicrosecond
        while nextNoise < Double(t1) {
            let t = min(max(Microseconds(nextNoise.rounded(.down)), t0), t1 - 1)
            let i = random.int(below: sensor.pixelCount)
            let intensity = min(max(exp(Double(logIntensity[i])) - Double(parameters.logEpsilon), 0), 1)
            let keep = 1 - 0.75 * intensity
            let draw = random.uniform()
            let on = random.bernoulli(0.5)
            if draw < keep { record(pixel: i, at: t, on: on, refractory: parameters.refractoryPeriod) }
            nextNoise += random.exponential(rate: rate)
        }
    }

    /// Keeps a noise event unless the pixel is refractory.
    private mutating func record(pixel i: Int, at t: Microseconds, on: Bool, refractory: Microseconds) {
        guard t - lastEvent[i] >= refractory else { return }
        lastEvent[i] = t
        keys.append(DVSPixelArray.key(offset: t - time, pixel: i, on: on))
    }

    /// Appends the sorted keys as events.
    private func emit(from t0: Microseconds, into buffer: EventBuffer) {
        guard !keys.isEmpty else { return }
        let width = sensor.width
        let indexMask: UInt64 = (1 << DVSPixelArray.indexBits) - 1
        buffer.appendUnsafe(maxCount: keys.count) { t, x, y, p in
            for (j, key) in keys.enumerated() {
                let i = Int((key >> 1) & indexMask)
                t[j] = t0 + Microseconds(key >> (DVSPixelArray.indexBits + 1))
                x[j] = UInt16(i % width)
                y[j] = UInt16(i / width)
                p[j] = UInt8(key & 1)
            }
            return keys.count
        }
    }

    /// Fills `scratchLog` with log(I + ε) of `frame`.
    private mutating func convert(_ frame: GrayImage) {
        precondition(frame.width == sensor.width && frame.height == sensor.height,
                     "frame \(frame.width)×\(frame.height) does not match the sensor \(sensor)")
        let eps = parameters.logEpsilon
        frame.pixels.withUnsafeBufferPointer { src in
            scratchLog.withUnsafeMutableBufferPointer { dst in
                for i in 0..<src.count { dst[i] = DVSPixelArray.logIntensity(src[i], epsilon: eps) }
            }
        }
    }
}
