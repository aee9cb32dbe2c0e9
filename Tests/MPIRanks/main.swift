// The rank program of the MPI tests: `mpirun -np N mpi-ranks SCENARIO` runs one scenario on every rank; each rank
// prints one line `rank R/N SCENARIO ok key=value …` on success or `rank R/N SCENARIO FAIL reason` (and stops the
// job). DataParallelTests/RankProgramTests spawns it and reads the lines. Not part of the product.
import DataParallel
import MessagePassing
#if canImport(Glibc)
import Glibc
#endif

let arguments = Array(CommandLine.arguments.dropFirst())
let scenario = arguments.first ?? ""
let communicator: Communicator
do {
    communicator = try Communicator.world()
} catch {
    say("rank ? \(scenario) FAIL \(error)")
    exit(2)
}
let r = Ranks(communicator: communicator, scenario: scenario)

let scenarios: [String: (Ranks, [String]) throws -> Void] = [
    "collectives": collectives,
    "shard": shard,
    "reducer": reducer,
    "diverge": diverge,
    "kill": killOne,
    "fail": failOne,
    "bench": bench,
    "resume": resume,
]

guard let run = scenarios[scenario] else {
    r.fail("unknown scenario '\(scenario)' (known: \(scenarios.keys.sorted().joined(separator: ", ")))")
}
do {
    try run(r, Array(arguments.dropFirst()))
} catch {
    r.fail("\(error)")
}
do {
    try communicator.finalize()
} catch {
    say("rank \(communicator.rank) finalize FAIL \(error)")
    exit(1)
}

/// One rank's reporting.
struct Ranks {
    let communicator: Communicator
    let scenario: String
    var rank: Int { communicator.rank }
    var size: Int { communicator.size }

    func ok(_ values: KeyValuePairs<String, String> = [:]) {
        let fields = values.map { " \($0.key)=\($0.value)" }.joined()
        say("rank \(rank)/\(size) \(scenario) ok\(fields)")
    }

    func fail(_ reason: String) -> Never {
        say("rank \(rank)/\(size) \(scenario) FAIL \(reason)")
        communicator.abort(code: 3)
    }

    func expect(_ condition: Bool, _ reason: @autoclosure () -> String) {
        if !condition { fail(reason()) }
    }
}

/// Writes `line` to standard output at once (unbuffered: a rank may be stopped right after).
func say(_ line: String) {
    var bytes = Array((line + "\n").utf8)
    var offset = 0
    while offset < bytes.count {
        let n = bytes[offset...].withUnsafeMutableBytes { write(1, $0.baseAddress, $0.count) }
        if n <= 0 { return }
        offset += n
    }
}
