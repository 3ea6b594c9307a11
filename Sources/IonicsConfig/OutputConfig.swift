import Foundation
import IonicsUnits

/// What is written besides the always-written series.
public struct OutputConfig: Sendable, Equatable {
    /// Write the fields every this many seconds (nil: only at reads and the end).
    public var fieldsEvery: Double?
    /// Write the fields at every read.
    public var fieldsAtReads: Bool = true
    /// Output times, s from the start of each experiment, rising strictly: the boundary
    /// series (electrode charge, current, fluxes) and the fields are sampled there.
    public var times: [Double] = []

    public init() {}

    static func read(_ node: ConfigNode) -> OutputConfig {
        var output = OutputConfig()
        guard let out = node.object() else { return output }
        if let v = out.positiveQuantity("fields_every", .time, default: -1), v > 0 { output.fieldsEvery = v }
        output.fieldsAtReads = out.bool("fields_at_reads", default: true)!
        if let t = out.optional("times") { output.times = readTimes(t) ?? [] }
        return output
    }

    /// Output times: a list (`["1 ms", "2 ms"]`), or a range with a count,
    /// `{"log": [first, last], "count": n}` (first > 0) or `{"linear": [first, last], "count": n}`.
    static func readTimes(_ node: ConfigNode) -> [Double]? {
        switch node.value {
        case .array:
            guard let items = node.array() else { return nil }
            if items.isEmpty { node.report("needs at least one time") }
            var times: [Double] = []
            var ok = true
            var previous: (value: Double, index: Int, shown: String)?
            for (k, item) in items.enumerated() {
                guard let t = item.quantity(.time) else { ok = false; continue }
                if t < 0 {
                    item.report("must not be negative, got \(item.shown) (times count from the start of the protocol)")
                    ok = false
                    continue
                }
                if let p = previous, t <= p.value {
                    item.report("must be greater than times[\(p.index)] (\(p.shown)): output times rise strictly")
                    ok = false
                    continue
                }
                previous = (t, k, item.shown)
                times.append(t)
            }
            return ok && !times.isEmpty ? times : nil
        case .object:
            guard let o = node.object() else { return nil }
            let hasLog = o.has("log")
            let hasLinear = o.has("linear")
            let count = o.required("count", "the number of output times")?.integer()
            if let c = count, c < 2 || c > 100_000 { o.report("count", "must be between 2 and 100000, got \(c)") }
            if hasLog == hasLinear {
                node.report("give exactly one of \"log\" and \"linear\" (a [first, last] range) with a count")
                return nil
            }
            let key = hasLog ? "log" : "linear"
            guard let range = o.optional(key)?.array() else { return nil }
            guard range.count == 2 else {
                o.report(key, "needs two times, [first, last], got \(range.count)")
                return nil
            }
            guard let a = range[0].quantity(.time), let b = range[1].quantity(.time) else { return nil }
            var ok = true
            if hasLog && a <= 0 {
                range[0].report("must be positive for log-spaced times, got \(range[0].shown)")
                ok = false
            } else if a < 0 {
                range[0].report("must not be negative, got \(range[0].shown) (times count from the start of the protocol)")
                ok = false
            }
            if ok && b <= a {
                range[1].report("must be greater than the first time (\(range[0].shown))")
                ok = false
            }
            guard ok, let n = count, n >= 2, n <= 100_000 else { return nil }
            return (0..<n).map { k in
                if k == n - 1 { return b }
                let f = Double(k) / Double(n - 1)
                return hasLog ? a * pow(b / a, f) : a + (b - a) * f
            }
        default:
            node.report("expected a list of times or {\"log\" | \"linear\": [first, last], \"count\": n}, got \(node.shown)")
            return nil
        }
    }
}

extension DeviceConfig {
    /// Why `name` cannot name a run (it becomes the default output file
    /// `results/<name>.h5`), or nil when it can.
    static func nameProblem(_ name: String) -> String? {
        if name.trimmingCharacters().isEmpty { return "must not be empty (it names the run and its default output file)" }
        if name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) { return "must not contain control characters" }
        if name.contains("/") || name.contains("\\") { return "must not contain \"/\" or \"\\\" (it names the default output file, not a path; use -o for that)" }
        if name.hasPrefix(".") { return "must not start with \".\" (it names the default output file)" }
        if name.utf8.count > 200 { return "is too long (\(name.utf8.count) bytes; at most 200)" }
        return nil
    }

    /// A file name made from the run's name: characters other than letters, digits,
    /// `.`, `-` and `_` become `_`; never empty and never starting with `.`.
    public var outputFileStem: String {
        var stem = String(name.unicodeScalars.map { s -> Character in
            let ok = (s.value < 128 && (s.properties.isAlphabetic || ("0"..."9").contains(Character(s)))) || s == "." || s == "-" || s == "_"
            return ok ? Character(s) : "_"
        })
        while stem.hasPrefix(".") { stem.removeFirst() }
        return stem.isEmpty ? "run" : String(stem.prefix(200))
    }
}
