import DVSEvents

/// The extent of a stream's events, for files that do not state their sensor: one pass, bounded memory.
enum EventExtent {
    /// The width and height holding every event `source` delivers (max x + 1, max y + 1), 0 × 0 without events.
    /// Damage ends the scan: the reader proper reports it where it lies.
    static func scan(_ source: any EventSource) -> (width: Int, height: Int) {
        let buffer = EventBuffer()
        var extent = (width: 0, height: 0)
        while (try? source.read(into: buffer)) == true { widen(&extent, by: buffer) }
        return extent
    }

    /// Widens `extent` to hold the events of `buffer`.
    static func widen(_ extent: inout (width: Int, height: Int), by buffer: EventBuffer) {
        for x in buffer.x { extent.width = max(extent.width, Int(x) + 1) }
        for y in buffer.y { extent.height = max(extent.height, Int(y) + 1) }
    }
}
