import Foundation

/// A confusion matrix as text: rows true label, columns predicted, a last column with each class's accuracy.
/// `counts[label][predicted]`; class names when given, else numbers.
public func confusionTable(_ counts: [[Int]], names: [String] = []) -> String {
    let classes = counts.count
    func name(_ k: Int) -> String { k < names.count ? names[k] : String(k) }
    let width = max(5, (0..<classes).map { name($0).count }.max() ?? 1, String(counts.flatMap { $0 }.max() ?? 0).count) + 1
    func pad(_ s: String) -> String { String(repeating: " ", count: max(0, width - s.count)) + s }
    var lines = [pad("true\\pred") + (0..<classes).map { pad(name($0)) }.joined() + pad("acc")]
    for k in 0..<classes {
        let total = counts[k].reduce(0, +)
        let acc = total == 0 ? "-" : String(format: "%.2f", Double(counts[k][k]) / Double(total))
        lines.append(pad(name(k)) + counts[k].map { pad(String($0)) }.joined() + pad(acc))
    }
    return lines.joined(separator: "\n")
}
