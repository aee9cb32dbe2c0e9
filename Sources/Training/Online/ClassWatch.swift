/// When each class was last taught, counted in labelled steps, and whether a class memory that engages on a new
/// class (`ClassMemory.Engagement.onNewClass`) is engaged: a fixed size, one count per class, whatever the stream.
///
///     taught(k):  s += 1
///                 engage   when k was never taught, another class was, and the learner has made ≥ `after` updates
///                          since the watch began (a learner restored from a file without one starts it anew)
///                 release  when the new class came ≥ `recent` steps ago and every class taught so far was taught
///                          within the last `recent` steps (the classifier has seen them all again)
///                 last[k] = s
public struct ClassWatch: Sendable, Equatable {
    /// Labelled steps seen.
    public private(set) var steps = 0
    /// Per class, the labelled step (counting from 1) it was last taught at; 0 for never.
    public private(set) var last: [Int]
    /// The labelled step a new class engaged the memory at; nil when it is not engaged.
    public private(set) var engagedAt: Int?
    /// The learner's updates when the watch began.
    public private(set) var since: Int

    public init(classes: Int, since updates: Int = 0) {
        precondition(classes > 0 && updates >= 0, "a watch over \(classes) classes from update \(updates)")
        last = [Int](repeating: 0, count: classes)
        since = updates
    }

    public var engaged: Bool { engagedAt != nil }

    /// Class `k` taught at the next labelled step, the learner having made `updates` updates.
    public mutating func taught(_ k: Int, updates: Int, after: Int, recent: Int) {
        precondition(k >= 0 && k < last.count, "class \(k) of \(last.count)")
        steps += 1
        if last[k] == 0, updates - since >= after, last.contains(where: { $0 > 0 }) { engagedAt = steps }
        last[k] = steps
        if let e = engagedAt, steps - e >= recent, last.allSatisfy({ $0 == 0 || steps - $0 < recent }) {
            engagedAt = nil
        }
    }

    /// The watch as checkpoint metadata: `steps=N engaged=E since=U last=a,b,…` (E 0 when not engaged), and back;
    /// nil when the text is damaged or holds another number of classes.
    public var text: String {
        "steps=\(steps) engaged=\(engagedAt ?? 0) since=\(since) last=" + last.map(String.init).joined(separator: ",")
    }

    public init?(text: String, classes: Int) {
        var fields: [String: Substring] = [:]
        for part in text.split(separator: " ") {
            let kv = part.split(separator: "=", maxSplits: 1)
            guard kv.count == 2 else { return nil }
            fields[String(kv[0])] = kv[1]
        }
        guard let s = fields["steps"].flatMap({ Int($0) }), s >= 0,
              let e = fields["engaged"].flatMap({ Int($0) }), e >= 0, e <= s,
              let u = fields["since"].flatMap({ Int($0) }), u >= 0,
              let list = fields["last"] else { return nil }
        let values = list.split(separator: ",").map { Int($0) }
        guard classes > 0, values.count == classes, values.allSatisfy({ $0.map { $0 >= 0 && $0 <= s } ?? false }) else {
            return nil
        }
        steps = s
        since = u
        engagedAt = e == 0 ? nil : e
        last = values.compactMap { $0 }
    }
}
