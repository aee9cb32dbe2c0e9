// libFuzzer entry for every event-file reader: the input bytes become a file that `EventFile.open` reads with the
// format named by OTTT_FUZZ_FORMAT (evt2, evt3, dat, nmnist, csv, aedat2, …), through the same public path a user
// takes. Compiled by tools/fuzz together with the DVSEvents and EventFormats sources; not part of the package.
//
// A finding is a crash, a trap (overflow, bounds), a hang, a leak or unbounded memory. Thrown EventFormatErrors
// are the expected answer to bad input, and the entry checks what every reader promises: events on the sensor,
// chunks no larger than asked (a packet for packet formats), and no more events than the bytes can hold.
import DVSEvents
import Glibc

private let format: EventFileFormat = {
    guard let name = getenv("OTTT_FUZZ_FORMAT").map({ String(cString: $0) }),
          let f = EventFileFormat(rawValue: name) else {
        fatalError("set OTTT_FUZZ_FORMAT to one of \(EventFileFormat.allCases.map(\.rawValue))")
    }
    return f
}()

private let path: String = {
    let dir = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
    return "\(dir)/ottt-fuzz-\(getpid()).\(format.rawValue)"
}()

private let chunk = EventBuffer(capacity: 64)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    writeFuzzInput(data, size, to: path)
    var options = ReadOptions()
    options.chunkSize = 61
    do {
        let reader = try EventFile.open(path: path, format: format, options: options)
        let sensor = reader.info.sensor
        var total = 0
        while try reader.read(into: chunk) {
            precondition(chunk.count > 0, "read returned true with an empty chunk")
            // Record formats honour the chunk size; packet formats (AEDAT 3.1/4.0) may hand over a packet whole.
            let limit = format == .aedat3 || format == .aedat4 ? 1 << 22 : max(options.chunkSize, 64)
            precondition(chunk.count <= limit, "chunk of \(chunk.count) events, asked \(options.chunkSize)")
            for i in 0..<chunk.count {
                precondition(sensor.contains(x: Int(chunk.x[i]), y: Int(chunk.y[i])),
                             "event \(chunk[i]) outside the \(sensor) sensor")
                precondition(chunk.p[i] <= 1, "polarity \(chunk.p[i])")
            }
            total += chunk.count
            // No format packs more than 12 events per byte... except compressed ones; keep a loose bound.
            precondition(total <= max(size, 1) * 4096, "\(total) events from \(size) bytes")
        }
        precondition(chunk.isEmpty, "read returned false with events in the chunk")
        _ = reader.warnings.description
    } catch let error as EventFormatError {
        precondition(error.file == path, "error names \(error.file), not \(path)")
        _ = error.description
    } catch {
        preconditionFailure("non-format error \(error)")
    }
    return 0
}
