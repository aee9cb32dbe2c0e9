/// Cropping a stream in time and space, chunk by chunk (tonic's `CropTime`/`CenterCrop`, faery's `time_slice` and
/// `crop`): events at `from` ≤ t − t₀ < `until` are kept, where t₀ is the stream's first event's time, and only
/// those inside `area`, shifted so that the area's top-left pixel becomes (0, 0). Timestamps are kept as they are.
///
/// Memory is a few words whatever the stream's length. Time-ordered input (what every reader delivers) lets a
/// consumer stop reading once `isPastEnd` turns true.
public struct EventCrop: Sendable, Equatable, CustomStringConvertible {
    /// A rectangle of pixels: `width` columns from column `x`, `height` rows from row `y`.
    public struct Area: Sendable, Equatable, CustomStringConvertible {
        public var x: Int, y: Int, width: Int, height: Int
        public init(x: Int, y: Int, width: Int, height: Int) {
            self.x = x; self.y = y; self.width = width; self.height = height
        }
        public var description: String { "\(x),\(y),\(width),\(height)" }
    }

    /// Why a crop cannot apply: the message names the values.
    public struct Problem: Error, Equatable, CustomStringConvertible {
        public var description: String
    }

    /// The kept time range, in µs after the first event: [from, until); `until` nil keeps everything after `from`.
    public let from: Microseconds
    public let until: Microseconds?
    /// The kept pixels; nil keeps the whole sensor.
    public let area: Area?
    /// The first event's time, once one has been seen.
    public private(set) var origin: Microseconds?
    /// Whether an event at or after `until` has gone by: for time-ordered input, nothing more will be kept.
    public private(set) var isPastEnd = false
    /// Events seen and kept so far.
    public private(set) var seen = 0
    public private(set) var kept = 0

    /// A crop for a stream on `sensor`; throws when the range is empty or the area is not on the sensor.
    public init(from: Microseconds = 0, until: Microseconds? = nil, area: Area? = nil, sensor: SensorSize) throws(Problem) {
        if from < 0 { throw Problem(description: "the start \(from) µs is before the first event") }
        if let until, until <= from {
            throw Problem(description: "the end (\(until) µs after the first event) is not after the start (\(from) µs)")
        }
        if let a = area {
            guard a.width > 0, a.height > 0 else {
                throw Problem(description: "the area \(a) has no pixels (width and height must be positive)")
            }
            let right = a.x.addingReportingOverflow(a.width), bottom = a.y.addingReportingOverflow(a.height)
            guard a.x >= 0, a.y >= 0, !right.overflow, !bottom.overflow,
                  right.partialValue <= sensor.width, bottom.partialValue <= sensor.height else {
                throw Problem(description: "the area \(a) (x,y,width,height) does not lie on the \(sensor) sensor")
            }
        }
        self.from = from
        self.until = until
        self.area = area
    }

    /// What is kept, in the flags' terms: `from 1500000 µs until 3000000 µs after the first event, area 8,8,16,16`
    /// (journals and running checkpoints record it).
    public var description: String {
        var parts: [String] = []
        if from > 0 || until != nil {
            parts.append("from \(from) µs" + (until.map { " until \($0) µs" } ?? "") + " after the first event")
        }
        if let area { parts.append("area \(area)") }
        return parts.isEmpty ? "everything" : parts.joined(separator: ", ")
    }

    /// The sensor of the cropped stream: the area's size, or `sensor` when there is no area.
    public func sensor(cropping sensor: SensorSize) -> SensorSize {
        guard let a = area else { return sensor }
        return SensorSize(width: a.width, height: a.height)
    }

    /// Replaces `output`'s contents with the events of `input` that the crop keeps, in order, coordinates shifted.
    public mutating func apply(_ input: EventBuffer, into output: EventBuffer) {
        output.removeAll()
        let n = input.count
        guard n > 0 else { return }
        let t0 = origin ?? input.t[0]
        origin = t0
        // The kept range in absolute time, saturating (a file's times near Int64's ends must not wrap).
        let lower = t0.addingReportingOverflow(from), upper = until.map { t0.addingReportingOverflow($0) }
        let low = lower.overflow ? Microseconds.max : lower.partialValue
        let high = upper.map { $0.overflow ? Microseconds.max : $0.partialValue } ?? Microseconds.max
        let x0 = area?.x ?? 0, y0 = area?.y ?? 0
        let x1 = area.map { $0.x + $0.width } ?? Int.max, y1 = area.map { $0.y + $0.height } ?? Int.max
        var count = 0, past = isPastEnd
        let hasEnd = until != nil
        output.appendUnsafe(maxCount: n) { ot, ox, oy, op in
            for i in 0..<n {
                let t = input.t[i]
                if hasEnd && t >= high { past = true; continue }
                let x = Int(input.x[i]), y = Int(input.y[i])
                guard t >= low, x >= x0, x < x1, y >= y0, y < y1 else { continue }
                ot[count] = t; ox[count] = UInt16(x - x0); oy[count] = UInt16(y - y0); op[count] = input.p[i]
                count += 1
            }
            return count
        }
        isPastEnd = past
        seen += n
        kept += count
    }
}
