import Foundation

/// Where results go: `--print view|lines`, `--json`, the same words on `live`, `replay` and `demo`.
struct OutputOptions {
    enum Mode: String { case view, lines, json }

    static let usage = """
      --print view|lines    the live view (default on a terminal) or lines (default otherwise)
      --json                one JSON object per prediction (demo: per sample), then a summary object
    """

    var mode: Mode

    init(_ a: inout Arguments) throws {
        let json = a.flag("json")
        switch (json, try a.option("print")) {
        case (true, _): mode = .json
        case (false, "lines"?): mode = .lines
        case (false, "view"?): mode = .view
        case (false, nil): mode = isatty(STDOUT_FILENO) != 0 ? .view : .lines
        case (false, let other?): throw UsageError("--print: use view or lines, not '\(other)'")
        }
    }
}
