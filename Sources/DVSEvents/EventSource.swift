/// What a source says about its stream before the first event.
public struct StreamInfo: Sendable {
    /// A short human name of the format or device: "AEDAT 4.0", "EVT 3.0", "DVXplorer", "simulator".
    public var format: String
    /// The pixel array the coordinates lie on.
    public var sensor: SensorSize
    /// Everything else worth showing (`ottt info`): header fields, camera serial, compression, other streams.
    /// Ordered as the source found them.
    public var properties: [(key: String, value: String)]

    public init(format: String, sensor: SensorSize, properties: [(key: String, value: String)] = []) {
        self.format = format
        self.sensor = sensor
        self.properties = properties
    }

    /// The first value stored under `key`.
    public subscript(key: String) -> String? {
        properties.first { $0.key == key }?.value
    }
}

/// Anything that produces events in time order, chunk by chunk: a file reader, a dataset sample, a live camera,
/// the simulator. One protocol so that one pipeline serves them all.
public protocol EventSource: AnyObject {
    var info: StreamInfo { get }

    /// Replaces the contents of `buffer` with the next chunk of events.
    ///
    /// Returns false when the stream has ended (and then `buffer` is empty). A chunk may be empty while the stream
    /// goes on (a live camera with nothing to say yet). Throws on bad input or a lost device; events delivered
    /// before the error stay delivered.
    func read(into buffer: EventBuffer) throws -> Bool
}

extension EventSource {
    /// Reads the whole stream into one buffer: for tests and small files only.
    public func readAll() throws -> EventBuffer {
        let all = EventBuffer()
        let chunk = EventBuffer()
        while try read(into: chunk) {
            all.append(contentsOf: chunk)
        }
        return all
    }
}
