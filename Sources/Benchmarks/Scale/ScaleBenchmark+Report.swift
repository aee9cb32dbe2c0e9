import Foundation

/// What the ranks of `ottt bench scale`'s N-rank part report: rank 0 prints one JSON object a line, a `Run` for
/// each training measurement and an `Allreduce` for each reduction; the launcher may add lines of its own.
extension ScaleBenchmark {
    public struct Report: Sendable, Equatable {
        public var runs: [Run] = []
        public var reductions: [Allreduce] = []

        public init(runs: [Run] = [], reductions: [Allreduce] = []) { self.runs = runs; self.reductions = reductions }

        /// Reads `text`: lines that are not JSON objects are the launcher's and skipped; a JSON object that is
        /// neither figure throws, naming its line.
        public init(parsing text: String) throws(BenchmarkFailure) {
            let decoder = JSONDecoder()
            for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                guard trimmed.hasPrefix("{") else { continue }
                let bytes = Data(trimmed.utf8)
                if let r = try? decoder.decode(Run.self, from: bytes) { runs.append(r) }
                else if let r = try? decoder.decode(Allreduce.self, from: bytes) { reductions.append(r) }
                else { throw BenchmarkFailure("line \(n + 1) of the ranks' report is neither a run nor an allreduce: \(trimmed)") }
            }
        }

        /// Throws unless the report holds `runs` runs and `reductions` reductions, all on `ranks` ranks.
        public func check(runs expectedRuns: Int, reductions expectedReductions: Int, ranks: Int) throws(BenchmarkFailure) {
            guard runs.count == expectedRuns, reductions.count == expectedReductions else {
                throw BenchmarkFailure("the \(ranks)-rank part reported \(runs.count) runs and \(reductions.count) "
                                       + "allreduces; expected \(expectedRuns) and \(expectedReductions)")
            }
            let others = runs.map(\.ranks).filter { $0 != ranks } + reductions.map(\.ranks).filter { $0 != ranks }
            guard others.isEmpty else {
                throw BenchmarkFailure("the \(ranks)-rank part reported figures of \(others.map(String.init).joined(separator: ", ")) ranks")
            }
        }
    }
}
