import Foundation
import DVSEvents
import EventFormats

/// DVS128 Gesture (Amir et al. 2017): 29 subjects × 3 lighting conditions, 11 gestures, AEDAT 3.1 from a DVS128.
///
/// Layout under `root` (or `root/DvsGesture`): `userNN_<lighting>.aedat` with `userNN_<lighting>_labels.csv`
/// (header `class,startTime_usec,endTime_usec`, classes 1–11), and `trials_to_train.txt` / `trials_to_test.txt`
/// listing the recordings of each part. As SpikingJelly does, every labelled row becomes one sample holding the
/// events with start ≤ t < end, labelled class − 1 (0–10).
public enum DVSGesture {
    public static let classes = [
        "hand_clapping", "right_hand_wave", "left_hand_wave", "right_arm_clockwise", "right_arm_counter_clockwise",
        "left_arm_clockwise", "left_arm_counter_clockwise", "arm_roll", "air_drums", "air_guitar", "other_gestures",
    ]
    public static let sensor = SensorSize.dvs128

    public static func dataset(root: String, part: DatasetPart) throws -> EventDataset {
        let base = FileManager.default.fileExists(atPath: join(root, "DvsGesture/trials_to_train.txt"))
            ? join(root, "DvsGesture") : root
        let list = join(base, "trials_to_\(part.rawValue).txt")
        let trials = try readLines(list).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        var samples: [DatasetSample] = []
        for trial in trials {
            guard trial.hasSuffix(".aedat") else {
                throw DatasetError(.badLayout, path: list, expected: "recording names ending in .aedat", found: "'\(trial)'")
            }
            let recording = join(base, trial)
            let labels = join(base, String(trial.dropLast(".aedat".count)) + "_labels.csv")
            for row in try parseLabels(labels) {
                samples.append(DatasetSample(path: recording, label: row.label, window: row.window,
                                             name: "\(trial)#\(row.label)@\(row.window.lowerBound)"))
            }
        }
        return EventDataset(name: "DVS128 Gesture \(part.rawValue)", sensor: sensor, classes: classes, samples: samples)
    }

    /// The rows of a `_labels.csv`: label 0–10 and the window [start, end) in µs.
    static func parseLabels(_ path: String) throws -> [(label: Int, window: Range<Microseconds>)] {
        var rows: [(label: Int, window: Range<Microseconds>)] = []
        for (i, raw) in try readLines(path).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || (i == 0 && line.lowercased().hasPrefix("class")) { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count >= 3, let c = Int(fields[0]), let start = Int64(fields[1]), let end = Int64(fields[2]) else {
                throw DatasetError(.badLabels, path: path, location: "line \(i + 1)",
                                   expected: "class,startTime_usec,endTime_usec as integers", found: "'\(line)'")
            }
            guard (1...classes.count).contains(c), start < end else {
                throw DatasetError(.badLabels, path: path, location: "line \(i + 1)",
                                   expected: "a class in 1…\(classes.count) and start < end", found: "'\(line)'")
            }
            rows.append((c - 1, start..<end))
        }
        return rows
    }
}

/// The lines of a small text file (LF or CRLF).
func readLines(_ path: String) throws -> [String] {
    guard let data = FileManager.default.contents(atPath: path) else {
        throw DatasetError(.missing, path: path, expected: "a readable file", found: "nothing there")
    }
    return String(decoding: data, as: UTF8.self).split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
        .map { $0.hasSuffix("\r") ? String($0.dropLast()) : String($0) }
}
