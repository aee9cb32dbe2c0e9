/// Replays a journal's decisions on a fresh stream of one-bin frames: the same bins merged, the same bins dropped,
/// the same labels from the same bins, so that the learner takes exactly the steps the recorded session took.
public struct JournalSchedule: Sendable {
    private let merges: [ClosedRange<Int>]
    private let drops: [ClosedRange<Int>]
    private let labels: [(bin: Int, label: Int?)]
    private let resets: Set<Int>
    private var nextMerge = 0
    private var nextDrop = 0
    private var pending: BinnedFrame?

    init(_ journal: SessionJournal) {
        var merges: [ClosedRange<Int>] = [], drops: [ClosedRange<Int>] = [], labels: [(Int, Int?)] = []
        var resets: Set<Int> = []
        for r in journal.records {
            switch r.kind {
            case .merge: merges.append(r.first...(r.last ?? r.first))
            case .drop: drops.append(r.first...(r.last ?? r.first))
            case .label: labels.append((r.first, r.label))
            case .reset: resets.insert(r.first)
            case .end: break
            }
        }
        self.merges = merges
        self.drops = drops
        self.labels = labels
        self.resets = resets
    }

    /// Whether the recorded session cleared the neuron state before its step on the frame starting at `bin`.
    func resets(atBin bin: Int) -> Bool { resets.contains(bin) }

    /// Takes the next frame from the binner (one bin, in order); returns the frames to step on: none when the bin
    /// was dropped or is part of a merge that is not complete yet, usually one. (Two only when the recording does
    /// not match its journal and a merge never saw its last bin: what was gathered is not lost.)
    mutating func admit(_ frame: BinnedFrame) -> [BinnedFrame] {
        let bin = frame.bins.lowerBound
        while nextMerge < merges.count && merges[nextMerge].upperBound < bin { nextMerge += 1 }
        let inMerge = nextMerge < merges.count && merges[nextMerge].contains(bin)
        var out: [BinnedFrame] = []
        if !inMerge, let gathered = finish() { out.append(gathered) }
        while nextDrop < drops.count && drops[nextDrop].upperBound < bin { nextDrop += 1 }
        if nextDrop < drops.count && drops[nextDrop].contains(bin) { return out }
        guard inMerge else { return out + [frame] }
        if pending == nil { pending = frame } else { pending!.absorb(frame) }
        if frame.bins.upperBound >= merges[nextMerge].upperBound, let gathered = finish() { out.append(gathered) }
        return out
    }

    /// A merge cut short by the end of the stream (a session that died mid-merge): what is left.
    mutating func finish() -> BinnedFrame? {
        defer { pending = nil }
        return pending
    }

    /// The label in force at `bin`: the last label change at or before it.
    func label(atBin bin: Int) -> Int? {
        var lo = 0, hi = labels.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if labels[mid].bin <= bin { lo = mid + 1 } else { hi = mid }
        }
        return lo == 0 ? nil : labels[lo - 1].label
    }
}
