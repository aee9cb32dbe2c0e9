import DVSEvents

/// Counts the events another source delivers (read by the reader thread; `delivered` is read after the run).
final class CountedEventSource: EventSource {
    let inner: any EventSource
    private(set) var delivered = 0
    init(_ inner: any EventSource) { self.inner = inner }
    var info: StreamInfo { inner.info }
    func read(into buffer: EventBuffer) throws -> Bool {
        guard try inner.read(into: buffer) else { return false }
        delivered += buffer.count
        return true
    }
}

/// `rate` events per second for `duration` µs, uniform over pixels and polarities, evenly spaced in time, one
/// chunk per `chunk` µs: an endless-looking stream that costs little to make.
final class UniformEventSource: EventSource {
    let info: StreamInfo
    private let rate: Int
    private let duration: Microseconds
    private let chunk: Microseconds
    private var next: Microseconds = 0
    private var state: UInt64 = 7

    init(sensor: SensorSize, rate: Int, duration: Microseconds, chunk: Microseconds) {
        info = StreamInfo(format: "uniform", sensor: sensor)
        self.rate = rate
        self.duration = duration
        self.chunk = chunk
    }

    func read(into buffer: EventBuffer) throws -> Bool {
        buffer.removeAll()
        guard next < duration else { return false }
        let end = min(next + chunk, duration)
        // Event k of the stream falls at k · 10⁶ / rate µs; this chunk holds those in [next, end).
        let first = (Int64(next) * Int64(rate) + 999_999) / 1_000_000
        let last = (Int64(end) * Int64(rate) + 999_999) / 1_000_000
        let width = UInt64(info.sensor.width), height = UInt64(info.sensor.height)
        for k in first..<last {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let r = state >> 16
            buffer.append(t: k * 1_000_000 / Int64(rate), x: UInt16(r % width), y: UInt16((r >> 16) % height),
                          p: UInt8((r >> 40) & 1))
        }
        next = end
        return true
    }
}
