/// Warnings a reader stepped over, counted by message: the first byte offset is kept, later ones only counted,
/// so that a file with a million bad records still yields one line per kind of problem.
struct WarningTally {
    private(set) var warnings: [EventFormatWarning] = []
    private var indexByMessage: [String: Int] = [:]

    mutating func add(_ message: String, at offset: Int64?, count: Int = 1) {
        guard count > 0 else { return }
        if let i = indexByMessage[message] {
            warnings[i].count += count
        } else {
            indexByMessage[message] = warnings.count
            warnings.append(EventFormatWarning(message: message, offset: offset, count: count))
        }
    }
}
