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
        // The loop works on local arrays moved out of the object: a stored property of a class touched per event
        // costs a dynamic exclusivity check each time (most of this function's time before).
        var (t, pixel, mark, marks) = (waitingT, waitingPixel, waitingMark, self.marks)
        (waitingT, waitingPixel, waitingMark, self.marks) = ([], [], [], [])
        defer { (waitingT, waitingPixel, waitingMark, self.marks) = (t, pixel, mark, marks) }
        var room = max(0, held - (t.count - head))
        var shownNow = 0
        for i in 0..<buffer.count {
            let x = Int(buffer.x[i]), y = Int(buffer.y[i])
            let m: UInt8 = buffer.p[i] != 0 ? 1 : 2
            guard x < w, y < h else { shownNow += 1; continue }
            if room == 0 { shownNow += 1; marks[y * w + x] |= m; continue }
            t.append(buffer.t[i]); pixel.append(Int32(y * w + x)); mark.append(m)
            room -= 1
        }
        events += shownNow
    }

    /// Shows the waiting events before stream time `t` (the end of the learner's latest bin).
    public func advance(to t: Microseconds) {
        lock.lock(); defer { lock.unlock() }
        var marks = self.marks
        self.marks = []
        defer { self.marks = marks }
        var i = head
        waitingT.withUnsafeBufferPointer { times in
            waitingPixel.withUnsafeBufferPointer { pixels in
                waitingMark.withUnsafeBufferPointer { kinds in
                    while i < times.count && times[i] < t {
                        marks[Int(pixels[i])] |= kinds[i]
                        i += 1
                    }
                }
            }
        }
        events += i - head
        head = i
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
