import DVSEvents
import Foundation

/// The events since the view last looked, at the sensor's resolution: which pixels fired ON, OFF or both, and how
/// many events came. Fed by the source's reader thread chunk by chunk (one lock per chunk), taken by the view's
/// sender about 30 times a second whatever the event rate. The reader runs ahead of the learner (a replay reads a
/// whole chunk before pacing it), so events wait in a bounded list until the learner's stream time reaches them
/// (`advance`): the view shows the events of the bins being predicted. Its size is fixed by the sensor and `held`.
public final class EventCanvas: @unchecked Sendable {
    // @unchecked: `marks`, `events` and `since` are accessed with `lock` held.
    public let sensor: SensorSize
    private let lock = NSLock()
    private var marks: [UInt8]          // [H·W]: bit 0 ON, bit 1 OFF
    private var events = 0
    private var seen = 0
    /// Events read but not yet reached by the learner: time, pixel index, mark (1 ON, 2 OFF).
    private var waitingT: [Microseconds] = []
    private var waitingPixel: [Int32] = []
    private var waitingMark: [UInt8] = []
    private var head = 0
    private let held: Int

    /// `held`: the most events kept waiting for the learner (beyond it they are shown at once).
    public init(sensor: SensorSize, held: Int = 1 << 18) {
        self.sensor = sensor
        self.held = held
        marks = [UInt8](repeating: 0, count: sensor.pixelCount)
    }

    /// Takes `buffer`'s events (events off the sensor are counted but not drawn).
    public func add(_ buffer: EventBuffer) {
        let (w, h) = (sensor.width, sensor.height)
        lock.lock(); defer { lock.unlock() }
        seen += buffer.count
        if head > 0 && head >= waitingT.count / 2 {
            waitingT.removeFirst(head); waitingPixel.removeFirst(head); waitingMark.removeFirst(head)
            head = 0
        }
        for i in 0..<buffer.count {
            let x = Int(buffer.x[i]), y = Int(buffer.y[i])
            let mark: UInt8 = buffer.p[i] != 0 ? 1 : 2
            guard x < w, y < h else { events += 1; continue }
            if waitingT.count - head >= held { events += 1; marks[y * w + x] |= mark; continue }
            waitingT.append(buffer.t[i]); waitingPixel.append(Int32(y * w + x)); waitingMark.append(mark)
        }
    }

    /// Shows the waiting events before stream time `t` (the end of the learner's latest bin).
    public func advance(to t: Microseconds) {
        lock.lock(); defer { lock.unlock() }
        while head < waitingT.count && waitingT[head] < t {
            marks[Int(waitingPixel[head])] |= waitingMark[head]
            events += 1
            head += 1
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
