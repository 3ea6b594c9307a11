import Foundation
import IonicsConfig
import IonicsUnits

extension SweepSpec {
    /// Reads and checks a sweep file. Throws a ``IonicsConfig/ConfigError`` listing
    /// every problem with its key path (`axes[1].log.count: expected a positive
    /// integer, got -2`) and line, or a JSON syntax error.
    public static func parse(_ text: String, source: String) throws -> SweepSpec {
        try readConfiguration(text: text, source: source) { root in
            var reader = SpecReader()
            return reader.read(root)
        }
    }
}

/// Reads a sweep file's keys, reporting problems into the shared diagnostics and
/// going on, so that every problem is reported at once.
struct SpecReader {
    /// Where each key path is already set or varied: "set" or "axes[k]".
    var owners: [String: String] = [:]

    mutating func read(_ root: ConfigNode) -> SweepSpec {
        var spec = SweepSpec(base: "", fixed: [], axes: [])
        guard let o = root.object() else { return spec }
        if let b = o.required("base", "the base config file, relative to the sweep file")?.string() {
            if b.isEmpty { o.report("base", "must not be empty") } else { spec.base = b }
        }
        spec.description = o.string("description", default: "")!
        if let s = o.optional("set")?.object() {
            for key in s.keys {
                guard let node = s.optional(key), let path = claim(key, node, owner: "set") else { continue }
                if case .null = node.value { node.report("expected a value, got null"); continue }
                spec.fixed.append(Assignment(path: path, value: node.value))
            }
        }
        guard let axes = o.required("axes", "the axes of the sweep")?.array() else { return spec }
        if axes.isEmpty { o.report("axes", "needs at least one axis") }
        var named: [(index: Int, name: String?)] = []
        // The running product of the axes' lengths is checked after every axis, so that
        // no axis is generated once the sweep is known to be too large (each count is
        // capped at the limit too, see `positiveInteger`).
        var count = 1
        for (k, node) in axes.enumerated() {
            guard let (axis, name) = readAxis(node, k) else { continue }
            let (product, overflow) = count.multipliedReportingOverflow(by: axis.length)
            if overflow || product > SweepSpec.maxPoints {
                node.report("makes the sweep \(overflow ? "overflow" : "\(product) points") with the axes before it, more than the limit of \(SweepSpec.maxPoints) points")
                return spec
            }
            count = product
            spec.axes.append(axis)
            named.append((k, name))
        }
        nameAxes(&spec.axes, given: named, nodes: axes)
        return spec
    }

    /// Checks a key path and records who varies it; nil (reported) when it is not a
    /// path or is already set by another entry.
    mutating func claim(_ text: String, _ node: ConfigNode, owner: String) -> String? {
        switch KeyPathText.canonical(text) {
        case .failure(let p):
            node.report(p.message)
            return nil
        case .success(let path):
            if let other = owners[path] {
                node.report("\(path) is already \(other == "set" ? "fixed by set" : "varied by \(other)")")
                return nil
            }
            // A path inside another (layers[1].thickness in layers[1]) would be set twice,
            // the outcome depending on the order of the overrides.
            for (other, by) in owners where Self.contains(other, path) || Self.contains(path, other) {
                node.report("\(path) overlaps \(other), \(by == "set" ? "fixed by set" : "varied by \(by)"); set a path or the paths inside it, not both")
                return nil
            }
            owners[path] = owner
            return path
        }
    }

    /// One axis and the name it was given, if any.
    mutating func readAxis(_ node: ConfigNode, _ k: Int) -> (SweepAxis, String?)? {
        guard let a = node.object() else { return nil }
        a.allow("values", "linear", "log")
        let forms = ["path", "zip", "sample", "points"].filter { a.has($0) }
        guard forms.count == 1 else {
            node.report(forms.isEmpty ? "expected one of \"path\" (with \"values\", \"linear\" or \"log\"), \"zip\", \"sample\" or \"points\""
                        : "has " + forms.map { "\"\($0)\"" }.joined(separator: " and ") + "; an axis is exactly one of them")
            return nil
        }
        var name: String?
        if let n = a.optional("name"), let s = n.string() {
            if Self.isName(s) { name = s } else { n.report("\"\(s)\" is not a name: use letters, digits and _, not starting with a digit") }
        }
        let owner = "axes[\(k)]"
        switch forms[0] {
        case "path":
            guard let (path, kind, values) = readSingle(a, owner: owner) else { return nil }
            return (SweepAxis(name: "", kind: kind, paths: [path], values: values.map { [$0] }), name)
        case "zip":
            guard let members = a.required("zip")?.array() else { return nil }
            if members.isEmpty { a.report("zip", "needs at least one member"); return nil }
            var paths: [String] = []
            var columns: [[JSONValue]] = []
            for m in members {
                guard let o = m.object(), let (path, _, values) = readSingle(o, owner: owner) else { continue }
                if let first = columns.first, first.count != values.count {
                    m.report("has \(values.count) values, \(members[0].path) has \(first.count); zipped paths need as many values each")
                    continue
                }
                paths.append(path)
                columns.append(values)
            }
            guard paths.count == members.count else { return nil }
            let rows = (0..<columns[0].count).map { i in columns.map { $0[i] } }
            return checkedDistinct(SweepAxis(name: "", kind: .zip, paths: paths, values: rows), node).map { ($0, name) }
        case "sample":
            guard let s = a.required("sample")?.object(), let axis = readSample(s, owner: owner) else { return nil }
            return checkedDistinct(axis, node).map { ($0, name) }
        default:
            guard let axis = readPoints(a, owner: owner) else { return nil }
            return checkedDistinct(axis, node).map { ($0, name) }
        }
    }

    /// `{"path": …, "values" | "linear" | "log": …}`.
    mutating func readSingle(_ a: ConfigObject, owner: String) -> (String, SweepAxis.Kind, [JSONValue])? {
        let p = a.required("path", "the config key to vary, e.g. layers[1].thickness")
        let forms = ["values", "linear", "log"].filter { a.has($0) }
        guard forms.count == 1 else {
            a.node.report(forms.isEmpty ? "expected \"values\", \"linear\" or \"log\" beside \"path\""
                          : "has " + forms.map { "\"\($0)\"" }.joined(separator: " and ") + "; give one of them")
            return nil
        }
        let path = p.flatMap { node in node.string().flatMap { claim($0, node, owner: owner) } }
        var values: [JSONValue]?
        if forms[0] == "values", let items = a.required("values")?.array() {
            if items.isEmpty { a.report("values", "needs at least one value") }
            var ok = !items.isEmpty
            for item in items {
                if case .null = item.value { item.report("expected a value, got null"); ok = false }
            }
            if ok { values = items.map(\.value) }
            if ok, let v = values, Set(v.map(CanonicalJSON.text)).count != v.count { a.report("values", "lists a value twice"); values = nil }
        } else if let r = a.required(forms[0])?.object() {
            values = readRange(r, logarithmic: forms[0] == "log")
        }
        guard let path, let values else { return nil }
        return (path, forms[0] == "values" ? .values : forms[0] == "linear" ? .linear : .log, values)
    }

    /// `{"from": …, "to": …, "count": n}`: n values evenly spaced (linear) or evenly
    /// spaced in log (log), both ends included.
    func readRange(_ r: ConfigObject, logarithmic: Bool) -> [JSONValue]? {
        let count = Self.positiveInteger(r.required("count", "how many values"))
        let range = Self.bounds(r)
        guard let count, let (from, to, dimension) = range else { return nil }
        if logarithmic && (from == 0 || to == 0 || (from < 0) != (to < 0)) {
            r.node.report("from and to of a log range must be non-zero and of the same sign")
            return nil
        }
        if count > 1 && from == to { r.report("to", "equals from; a range of \(count) values needs two different ends") ; return nil }
        guard from.isFinite, to.isFinite else { r.node.report("from and to must be finite numbers"); return nil }
        let values = (0..<count).map { i -> Double in
            let t = count == 1 ? 0 : Double(i) / Double(count - 1)
            return i == count - 1 && count > 1 ? to : logarithmic ? from * pow(to / from, t) : from + (to - from) * t
        }
        if values.contains(where: { !$0.isFinite }) { r.node.report("generates a value that is not a finite number"); return nil }
        // Ends so close that neighbouring values round to the same number would make the
        // same point twice.
        if Set(values.map(\.bitPattern)).count != values.count {
            r.node.report("generates the same value twice: \(count) values between from and to are not all different")
            return nil
        }
        return values.map { SIUnitText.json($0, dimension) }
    }

    /// `from` and `to` of a range or a sampled parameter, in SI units, with their
    /// dimension (plain numbers are SI values of the other end's dimension).
    static func bounds(_ r: ConfigObject) -> (Double, Double, IonicsUnits.Dimension)? {
        let from = r.required("from").flatMap(quantity)
        let to = r.required("to").flatMap(quantity)
        guard let from, let to else { return nil }
        if let a = from.dimension, let b = to.dimension, a != b {
            r.report("to", "is in \(SIUnitText.symbol(b)), from is in \(SIUnitText.symbol(a)); both ends need the same units")
            return nil
        }
        return (from.value, to.value, from.dimension ?? to.dimension ?? .dimensionless)
    }

    /// A number (SI, dimension unknown) or a string with units.
    static func quantity(_ n: ConfigNode) -> (value: Double, dimension: IonicsUnits.Dimension?)? {
        switch n.value {
        case .number(let x): return (x, nil)
        case .string(let s):
            do {
                let q = try UnitParser.parse(s)
                return (q.value, q.dimension)
            } catch {
                n.report("expected a number or a quantity such as \"50 nm\", got \"\(s)\": \(error)")
                return nil
            }
        default:
            n.report("expected a number or a quantity such as \"50 nm\", got \(n.shown)")
            return nil
        }
    }

    static func positiveInteger(_ n: ConfigNode?) -> Int? {
        guard let n else { return nil }
        guard case .number(let x) = n.value, x == x.rounded(), x >= 1 else {
            n.report("expected a positive integer, got \(n.shown)")
            return nil
        }
        // Checked before any value is generated: a count above the limit of points
        // would allocate its values first.
        guard x <= Double(SweepSpec.maxPoints) else {
            n.report("\(n.shown) is more than the limit of \(SweepSpec.maxPoints) points of a sweep")
            return nil
        }
        return Int(x)
    }

    /// Whether key path `inner` lies inside key path `outer` (`layers[1].thickness` in `layers[1]`).
    static func contains(_ outer: String, _ inner: String) -> Bool {
        inner.hasPrefix(outer + ".") || inner.hasPrefix(outer + "[")
    }

    static func isName(_ s: String) -> Bool {
        guard let f = s.unicodeScalars.first, !(f >= "0" && f <= "9") else { return false }
        return s.unicodeScalars.allSatisfy { ($0 >= "a" && $0 <= "z") || ($0 >= "A" && $0 <= "Z") || ($0 >= "0" && $0 <= "9") || $0 == "_" }
    }

    /// The axis, unless two of its positions assign the same values (they would be
    /// the same point).
    func checkedDistinct(_ axis: SweepAxis, _ node: ConfigNode) -> SweepAxis? {
        var seen: [String: Int] = [:]
        for (i, row) in axis.values.enumerated() {
            let key = row.map(CanonicalJSON.text).joined(separator: "\u{1F}")
            if let j = seen[key] {
                node.report("positions \(j) and \(i) assign the same values; every position must make another point")
                return nil
            }
            seen[key] = i
        }
        return axis
    }
}
