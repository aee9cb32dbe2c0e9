import DVSEvents
import Pipeline

/// `--from`, `--until` and `--area`: cropping a stream in time (after its first event) and space, as tonic's and
/// faery's filters do. Parsed before the file is open; `crop(sensor:)` checks the area against the file's sensor.
struct CropOptions {
    static let usage = """
    --from D         keep events from D after the first event, e.g. 1.5s (default 0s)
    --until D        keep events before D after the first event, e.g. 3s (default: to the end)
    --area X,Y,W,H   keep the W×H pixels from column X, row Y, shifted to (0, 0): the output sensor is W×H
    """

    var from: Microseconds?
    var until: Microseconds?
    var area: EventCrop.Area?

    var isEmpty: Bool { from == nil && until == nil && area == nil }

    /// An area alone.
    init(area: EventCrop.Area?) { self.area = area }

    init(_ a: inout Arguments) throws {
        from = try a.duration("from", positive: false)
        until = try a.duration("until")
        area = try CropOptions.area(&a)
        if let from, let until, until <= from {
            throw UsageError("--until \(Arguments.show(until)) is not after --from \(Arguments.show(from))")
        }
    }

    /// `--area X,Y,W,H` alone (`ottt live`, where a camera's stream has no first event to count time from).
    static func area(_ a: inout Arguments) throws -> EventCrop.Area? {
        try a.option("area").map { text in
            let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { Int($0) }
            guard parts.count == 4, let x = parts[0], let y = parts[1], let w = parts[2], let h = parts[3],
                  x >= 0, y >= 0, w > 0, h > 0 else {
                throw UsageError("--area: X,Y,W,H in pixels (e.g. 16,16,64,64: from column 16, row 16, 64×64), not '\(text)'")
            }
            return EventCrop.Area(x: x, y: y, width: w, height: h)
        }
    }

    /// The crop for a stream on `sensor` (nil when no flag asked for one); an area off the sensor is a usage error.
    func crop(sensor: SensorSize) throws -> EventCrop? {
        guard !isEmpty else { return nil }
        do { return try EventCrop(from: from ?? 0, until: until, area: area, sensor: sensor) }
        catch { throw UsageError("--area \(area.map(\.description) ?? ""): \(error)") }
    }

    /// `source` read through the crop (nil when no flag asked for one); an area off its sensor is a usage error.
    func cropped(_ source: any EventSource) throws -> CroppedEventSource? {
        try crop(sensor: source.info.sensor).map { CroppedEventSource.wrapping(source, crop: $0) }
    }

    /// A session's `source` read through the crop (itself without one), and the crop recorded in `settings`.
    func session(_ source: any EventSource, settings: inout SessionSettings) throws -> any EventSource {
        guard let cropped = try cropped(source) else { return source }
        settings.crop = cropped.crop.description
        return cropped
    }
}

extension Optional where Wrapped == EventCrop {
    /// `events` cropped into `scratch` (and `scratch` returned), or `events` itself when there is no crop.
    mutating func applied(to events: EventBuffer, scratch: EventBuffer) -> EventBuffer {
        guard case .some(var crop) = self else { return events }
        crop.apply(events, into: scratch)
        self = crop
        return scratch
    }

    /// Whether the crop's end has gone by (time-ordered input: reading further keeps nothing).
    var isPastEnd: Bool { self?.isPastEnd ?? false }
}
