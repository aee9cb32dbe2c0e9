// libFuzzer entry for the session's text readers: OTTT_FUZZ_TARGET names one of
//   labels    the bytes as a label file (LabelSchedule(csv:): columns, Gesture header, classes, overlaps, line limit);
//   teaching  the bytes as a teaching script (LineSplitter in chunks the first byte sizes, LabelChange per line).
// Compiled by tools/fuzz-text with InputLimits, DVSEvents and Pipeline's text files; not part of the package.
// A finding is a crash, a trap, a hang or memory beyond libFuzzer's -rss_limit_mb; thrown errors are the answer.
import Glibc
import InputLimits

private let target: String = {
    guard let name = getenv("OTTT_FUZZ_TARGET").map({ String(cString: $0) }), ["labels", "teaching"].contains(name) else {
        fatalError("set OTTT_FUZZ_TARGET to labels or teaching")
    }
    return name
}()

private let names = ["left", "right", "wave", "clap"]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    var limits = Limits()
    limits.lineBytes = 256                                   // small, so the fuzzer reaches the limit's paths
    limits.labelClasses = 1000
    Limits.current = limits
    if target == "labels" {
        guard let schedule = try? LabelSchedule(csv: String(decoding: bytes, as: UTF8.self), file: "fuzz", names: names)
        else { return 0 }
        var end = Int64.min
        for i in schedule.intervals {
            precondition(i.start < i.end && i.start >= end, "intervals out of order or overlapping: \(i)")
            precondition(i.label >= 0 && i.label < limits.labelClasses, "label out of range: \(i)")
            end = i.end
            _ = schedule.label(from: i.start, to: i.end)
        }
    } else {
        let step = max(1, Int(bytes.first ?? 1))
        var lines = LineSplitter(limit: limits.lineBytes)
        var posted = 0
        let each: (LineSplitter.Piece) -> Void = { piece in
            guard case .line(let text, let n) = piece else { return }
            precondition(text.unicodeScalars.count <= limits.lineBytes, "a line over the limit was delivered")   // a bad byte: one U+FFFD
            if let change = try? LabelChange(parsing: text, names: names, classes: 10, source: "fuzz", lineNumber: n) {
                precondition(change.label.map { $0 >= 0 && $0 < 10 } ?? true, "label out of range: \(change)")
                posted += 1
            }
        }
        var at = 0
        while at < bytes.count {
            let next = min(bytes.count, at + step)
            lines.push(bytes[at..<next], each)
            at = next
        }
        lines.finish(each)
        _ = posted
    }
    return 0
}
