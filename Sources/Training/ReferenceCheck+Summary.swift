extension ReferenceCheck {
    /// The comparisons of one group (`forward`, `OTTT_A`, `OTTT_O`, `BPTT`) and their worst errors.
    public struct GroupSummary: Sendable {
        public var group: String
        public var comparisons: [Comparison]
        public var maxAbsolute: Float { comparisons.map(\.maxAbsolute).max() ?? 0 }
        public var maxRelative: Float { comparisons.map(\.maxRelative).max() ?? 0 }
        /// The comparisons outside the tolerance.
        public var failed: [Comparison] { comparisons.filter { !$0.passed } }
    }

    /// The groups in the order the check runs them.
    public static let groups = ["forward", "OTTT_A", "OTTT_O", "BPTT"]

    /// `results` by group, in `groups` order, leaving out empty groups.
    public static func summarize(_ results: [Comparison]) -> [GroupSummary] {
        groups.compactMap { g in
            let members = results.filter { $0.group == g }
            return members.isEmpty ? nil : GroupSummary(group: g, comparisons: members)
        }
    }
}
