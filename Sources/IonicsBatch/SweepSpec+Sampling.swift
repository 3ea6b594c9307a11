import Foundation
import IonicsConfig
import IonicsUnits

extension SpecReader {
    /// `{"method": "random" | "lhs", "count": n, "seed": s, "parameters": [{"path",
    /// "from", "to", "scale": "linear" | "log"}]}`: n points drawn in the box of the
    /// parameters' bounds.
    ///
    /// Each parameter p has a unit coordinate u ∈ [0, 1) mapped to its bounds:
    /// `from + (to − from)·u` (linear) or `from·(to/from)^u` (log). `random` draws every
    /// u independently. `lhs` (Latin hypercube, McKay, Beckman and Conover 1979) draws,
    /// for each parameter, a random permutation π of 0..<n and puts point i in stratum
    /// π(i): u = (π(i) + U)/n, so that each of the n equal strata of every parameter
    /// holds exactly one point. Values are rounded to 12 significant digits.
    mutating func readSample(_ s: ConfigObject, owner: String) -> SweepAxis? {
        let method = s.required("method", "\"random\" or \"lhs\"")?.choice(["random", "lhs"])
        let count = Self.positiveInteger(s.required("count", "how many points"))
        var seed: UInt64?
        if let n = s.required("seed", "an integer; the same seed draws the same points") {
            if case .number(let x) = n.value, x == x.rounded(), x >= 0, x < 0x1p53 { seed = UInt64(x) } else {
                n.report("expected a whole number from 0 to 2^53, got \(n.shown)")
            }
        }
        var parameters: [(path: String, from: Double, to: Double, dimension: IonicsUnits.Dimension, log: Bool)] = []
        var complete = true
        if let list = s.required("parameters", "the paths to sample with their bounds")?.array() {
            if list.isEmpty { s.report("parameters", "needs at least one parameter"); complete = false }
            for node in list {
                guard let p = node.object() else { complete = false; continue }
                let path = p.required("path").flatMap { n in n.string().flatMap { claim($0, n, owner: owner) } }
                let log = p.choice("scale", ["linear", "log"], default: "linear") == "log"
                guard let path, let (from, to, dimension) = Self.bounds(p) else { complete = false; continue }
                if from == to { p.report("to", "equals from; give two different bounds"); complete = false; continue }
                if log && (from == 0 || to == 0 || (from < 0) != (to < 0)) {
                    p.node.report("from and to of a log scale must be non-zero and of the same sign")
                    complete = false
                    continue
                }
                parameters.append((path, from, to, dimension, log))
            }
        } else {
            complete = false
        }
        guard complete, let method, let count, let seed else { return nil }
        var generator = SeededGenerator(seed: seed)
        let units = method == "lhs"
            ? Self.latinHypercube(count: count, dimensions: parameters.count, using: &generator)
            : (0..<count).map { _ in parameters.map { _ in generator.unit() } }
        var values: [[JSONValue]] = []
        for u in units {
            var row: [JSONValue] = []
            for (p, x) in zip(parameters, u) {
                let v: Double = p.log ? p.from * pow(p.to / p.from, x) : p.from + (p.to - p.from) * x
                row.append(SIUnitText.json(v, p.dimension))
            }
            values.append(row)
        }
        return SweepAxis(name: "", kind: method == "lhs" ? .lhs : .random, paths: parameters.map(\.path), values: values)
    }

    /// Unit coordinates `u[i][p]` of a Latin hypercube of `count` points in
    /// `dimensions` dimensions: one permutation per dimension, then one jitter per point.
    static func latinHypercube(count: Int, dimensions: Int, using g: inout SeededGenerator) -> [[Double]] {
        var u = [[Double]](repeating: [Double](repeating: 0, count: dimensions), count: count)
        for p in 0..<dimensions {
            let strata = g.permutation(count)
            for i in 0..<count { u[i][p] = (Double(strata[i]) + g.unit()) / Double(count) }
        }
        return u
    }

    /// `{"points": [{"path": value, …}, …]}`: an explicit list (a ragged sweep); every
    /// point sets the same paths.
    mutating func readPoints(_ a: ConfigObject, owner: String) -> SweepAxis? {
        guard let list = a.required("points")?.array() else { return nil }
        if list.isEmpty { a.report("points", "needs at least one point"); return nil }
        var paths: [String] = []
        var rows: [[JSONValue]] = []
        for (i, node) in list.enumerated() {
            guard case .object(let members) = node.value else { node.report("expected an object of key.path: value, got \(node.shown)"); return nil }
            if i == 0 {
                for m in members {
                    let child = ConfigNode(value: m.value, path: node.path + "." + m.key, position: m.position, diagnostics: node.diagnostics)
                    guard let p = claim(m.key, child, owner: owner) else { return nil }
                    paths.append(p)
                }
                if paths.isEmpty { node.report("needs at least one key.path: value"); return nil }
            }
            var row = [JSONValue?](repeating: nil, count: paths.count)
            for m in members {
                guard case .success(let p) = KeyPathText.canonical(m.key), let j = paths.firstIndex(of: p) else {
                    node.report("sets \(m.key), which \(list[0].path) does not; every point sets the same paths")
                    return nil
                }
                if case .null = m.value { node.report("\(m.key): expected a value, got null"); return nil }
                row[j] = m.value
            }
            guard row.allSatisfy({ $0 != nil }) else {
                node.report("does not set " + zip(paths, row).filter { $0.1 == nil }.map(\.0).joined(separator: ", ") + ", which \(list[0].path) sets")
                return nil
            }
            rows.append(row.map { $0! })
        }
        return SweepAxis(name: "", kind: .points, paths: paths, values: rows)
    }

    /// Gives every axis its dimension name: the one written, or the variable name of
    /// its path (one path), `zipK` (zip), `point` (the only sample or list; `pointK`
    /// when there are several); names must be distinct from each other, from the
    /// coordinate names of multi-path axes and from the table's own variables.
    func nameAxes(_ axes: inout [SweepAxis], given: [(index: Int, name: String?)], nodes: [ConfigNode]) {
        let sampled = axes.filter { $0.kind == .random || $0.kind == .lhs || $0.kind == .points }.count
        var taken: [String: String] = [:]
        for name in SweepTableNames.reserved { taken[name] = "the collected table" }
        for (n, (k, name)) in given.enumerated() {
            let axis = axes[n]
            let automatic: String
            switch axis.kind {
            case .zip: automatic = "zip\(k)"
            case .random, .lhs, .points: automatic = sampled == 1 ? "point" : "point\(k)"
            default: automatic = KeyPathText.variableName(axis.paths[0])
            }
            axes[n].name = name ?? automatic
            let names = [axes[n].name] + (axis.paths.count > 1 || axis.kind == .points || axis.kind == .random || axis.kind == .lhs
                                          ? axis.paths.map(KeyPathText.variableName) : [])
            for v in names {
                if let other = taken[v] {
                    nodes[k].report("the name \"\(v)\" is also used by \(other); set \"name\" to another")
                    continue
                }
                taken[v] = "axes[\(k)]"
            }
        }
    }
}
