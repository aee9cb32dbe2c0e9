import DVSEvents
import EventFormats

/// A source read through an `EventCrop` (`--from`, `--until`, `--area` on `replay` and `live`): the learner, the
/// view and a `--record`ing see only the kept events, on the area's sensor, their times as they were. The stream
/// ends once the crop's end has gone by (time-ordered input keeps nothing after it); a chunk the crop empties is
/// handed on empty, as a quiet camera's is. Memory is one chunk, whatever the stream's length.
///
///     let source = CroppedEventSource.wrapping(file, crop: try EventCrop(area: area, sensor: file.info.sensor))
public class CroppedEventSource: EventSource {
    private let source: any EventSource
    /// The crop, with what it has seen and kept so far.
    public private(set) var crop: EventCrop
    private let scratch = EventBuffer()
    public let info: StreamInfo

    /// `source` cropped by `crop`; a file's reader keeps telling how far it has read (`ReadProgress`).
    public static func wrapping(_ source: any EventSource, crop: EventCrop) -> CroppedEventSource {
        if let file = source as? any ReadProgress { return CroppedFileSource(source, crop: crop, progress: file) }
        return CroppedEventSource(source, crop: crop)
    }

    init(_ source: any EventSource, crop: EventCrop) {
        self.source = source
        self.crop = crop
        var info = source.info
        info.sensor = crop.sensor(cropping: source.info.sensor)
        info.properties.append((key: "crop", value: "\(crop) of \(source.info.sensor)"))
        self.info = info
    }

    public func read(into buffer: EventBuffer) throws -> Bool {
        buffer.removeAll()
        guard !crop.isPastEnd, try source.read(into: scratch) else { return false }
        crop.apply(scratch, into: buffer)
        return true
    }
}

/// A cropped file: its position in the file is the file reader's.
final class CroppedFileSource: CroppedEventSource, ReadProgress {
    private let progress: any ReadProgress

    init(_ source: any EventSource, crop: EventCrop, progress: any ReadProgress) {
        self.progress = progress
        super.init(source, crop: crop)
    }

    var bytesRead: Int64 { progress.bytesRead }
    var fileSize: Int64 { progress.fileSize }
}
