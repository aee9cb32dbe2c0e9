import DVSEvents
import EventFormats
import TestSupport

extension DecodedColumns {
    /// Every event of `source`, read chunk by chunk, as Int64 columns.
    init(reading source: some EventSource) throws {
        self.init()
        let chunk = EventBuffer(capacity: 1024)
        while try source.read(into: chunk) {
            t.append(contentsOf: chunk.t)
            x.append(contentsOf: chunk.x.map(Int64.init))
            y.append(contentsOf: chunk.y.map(Int64.init))
            p.append(contentsOf: chunk.p.map(Int64.init))
        }
    }

    /// The columns of `events`.
    init(_ events: [Event]) {
        self.init(t: events.map(\.t), x: events.map { Int64($0.x) }, y: events.map { Int64($0.y) },
                  p: events.map { Int64($0.p) })
    }
}
