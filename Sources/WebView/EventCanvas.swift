import DVSEvents
import Foundation

/// The events since the view last looked, at the sensor's resolution: which pixels fired ON, OFF or both, and how
/// many events came. Fed by the source's reader thread chunk by chunk (one lock per chunk), taken by the view's
/// sender about 30 times a second whatever the event rate; its size is fixed by the sensor.
public final class EventCanvas: @unchecked Sendable {
    // @unchecked: `marks`, `events` and `since` are accessed with `lock` held.
    public let sensor: SensorSize
    private let lock = NSLock()
    private var marks: [UInt8]          // [H·W]: bit 0 ON, bit 1 OFF
    private var events = 0
    private var seen = 0

    public init(sensor: SensorSize) {
        self.sensor = sensor
        marks = [UInt8](repeating: 0, count: sensor.pixelCount)
    }

    /// Marks the pixels of `buffer`'s events (events off the sensor are counted but not drawn).
    public func add(_ buffer: EventBuffer) {
        let (w, h) = (sensor.width, sensor.height)
        lock.lock(); defer { lock.unlock() }
        events += buffer.count
        seen += buffer.count
        marks.withUnsafeMutableBufferPointer { m in
            for i in 0..<buffer.count {
                let x = Int(buffer.x[i]), y = Int(buffer.y[i])
                guard x < w, y < h else { continue }
                m[y * w + x] |= buffer.p[i] != 0 ? 1 : 2
            }
        }
    }

    /// The marks since the last take, packed 2 bits a pixel (pixel i in bits 2(i mod 4)…, ON the low bit), and
    /// the events counted; clears them.
    public func take() -> (packed: [UInt8], events: Int) {
        lock.lock(); defer { lock.unlock() }
        let packed = EventCanvas.pack(marks)
        for i in marks.indices { marks[i] = 0 }
        let n = events
        events = 0
        return (packed, n)
    }

    /// Events added since the canvas was made.
    public var total: Int { lock.lock(); defer { lock.unlock() }; return seen }

    /// One byte a pixel (bits 0–1) to 2 bits a pixel.
    static func pack(_ marks: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: (marks.count + 3) / 4)
        for (i, m) in marks.enumerated() where m != 0 { out[i >> 2] |= (m & 3) << UInt8((i & 3) * 2) }
        return out
    }
}

/// A source that shows its events on an `EventCanvas` as the pipeline reads them (on the reader thread).
public final class EventTap: EventSource {
    private let source: any EventSource
    private let canvas: EventCanvas
    public var info: StreamInfo { source.info }

    public init(_ source: any EventSource, canvas: EventCanvas) {
        self.source = source
        self.canvas = canvas
    }

    public func read(into buffer: EventBuffer) throws -> Bool {
        let more = try source.read(into: buffer)
        if !buffer.isEmpty { canvas.add(buffer) }
        return more
    }
}
