import Foundation
import IonicsUnits

/// Where a key of a config was written: its key path and position, kept for problems
/// that can only be found later (e.g. once a layer's thickness is known).
public struct KeyOrigin: Sendable, Hashable {
    public var path: String
    public var position: SourcePosition?

    public init(path: String, position: SourcePosition?) {
        self.path = path
        self.position = position
    }
}

/// How one layer is meshed across its thickness: geometric grading (the default), a
/// tanh stretching, uniform cells, or explicit face positions.
public struct MeshSpec: Sendable, Equatable {
    public enum Grading: String, Sendable, CaseIterable {
        /// Cell widths grow by a constant ratio away from the graded faces.
        case geometric
        /// Faces at x(ξ) of a tanh stretching of uniform ξ (Vinokur's one- and two-sided
        /// stretchings): smooth growth, finest at the graded faces.
        case tanh
        /// Equal cells.
        case uniform
    }

    /// The faces of the layer the cells shrink towards.
    public enum Toward: String, Sendable, CaseIterable { case both, first, last }

    /// Number of cells; nil when `maxCell` decides.
    public var cells: Int?
    /// Largest allowed cell, m; nil when `cells` decides.
    public var maxCell: Double?
    /// Geometric growth ratio of neighbouring cells away from the layer's faces (≥ 1).
    public var growth: Double
    /// Smallest cell at the graded faces, m; nil means grading decided by `growth`
    /// (geometric) or `stretch` (tanh) alone.
    public var smallest: Double?
    public var grading: Grading = .geometric
    public var toward: Toward = .both
    /// Stretching parameter δ > 0 of a tanh grading (larger: finer at the faces).
    public var stretch: Double?
    /// Explicit face positions, m, measured from the layer's first face and rising
    /// strictly; 0 and the thickness may be given or left out.
    public var faces: [Double]?
    /// Where each key was given, for problems found once the thickness is known.
    public var origins: [String: KeyOrigin] = [:]

    public init(cells: Int? = nil, maxCell: Double? = nil, growth: Double = 1.0, smallest: Double? = nil) {
        self.cells = cells
        self.maxCell = maxCell
        self.growth = growth
        self.smallest = smallest
    }

    public static let `default` = MeshSpec(cells: 40, growth: 1.15)

    /// The key path of `key` for a problem found later (the mesh object's path when unknown).
    public func origin(_ key: String, fallback: String) -> KeyOrigin {
        origins[key] ?? KeyOrigin(path: fallback + "." + key, position: nil)
    }

    /// Reads a `mesh` object; `fallback` supplies keys the object leaves out. Explicit
    /// `faces` are only allowed in a layer's mesh (`inLayer`).
    public static func read(_ node: ConfigNode, fallback: MeshSpec = .default, inLayer: Bool = false) -> MeshSpec {
        guard let o = node.object() else { return fallback }
        var m = fallback
        func note(_ key: String) {
            if let n = o.optional(key) { m.origins[key] = KeyOrigin(path: n.path, position: n.position) }
        }
        for key in ["cells", "max_cell", "growth", "smallest", "grading", "toward", "stretch", "faces"] { note(key) }

        if o.has("faces") {
            for key in ["cells", "max_cell", "growth", "smallest", "grading", "toward", "stretch"] where o.has(key) {
                o.report(key, "cannot be combined with faces (the faces fix every cell)")
            }
            guard inLayer else {
                o.report("faces", "only in a layer's mesh (face positions belong to one layer)")
                return fallback
            }
            var spec = MeshSpec(growth: 1)
            spec.origins = m.origins
            spec.faces = readFaces(o.optional("faces")!)
            return spec
        }

        if o.has("cells") || o.has("max_cell") {
            m.cells = nil
            m.maxCell = nil
        }
        if let n = o.optional("cells") {
            if let c = n.integer() {
                if c < 1 || c > 1_000_000 { n.report("must be between 1 and 1000000, got \(c)") } else { m.cells = c }
            }
        }
        if o.has("max_cell") { m.maxCell = o.positiveQuantity("max_cell", .length) }
        if m.cells != nil && m.maxCell != nil {
            o.report("max_cell", "give either cells or max_cell, not both")
        }
        if let n = o.optional("growth") {
            if let g = n.number() {
                if g < 1 || g > 3 { n.report("must be between 1 and 3, got \(g)") } else { m.growth = g }
            }
        }
        if let g = o.choice("grading", Grading.allCases.map(\.rawValue)).flatMap(Grading.init(rawValue:)) { m.grading = g }
        if let t = o.choice("toward", Toward.allCases.map(\.rawValue)).flatMap(Toward.init(rawValue:)) { m.toward = t }
        // A tanh grading is fixed by one parameter: the object's own wins over an inherited one.
        if o.has("smallest") {
            m.smallest = o.positiveQuantity("smallest", .length)
            if !o.has("stretch") { m.stretch = nil }
        }
        if let n = o.optional("stretch") {
            if !o.has("smallest") { m.smallest = nil }
            if let s = n.number() {
                if s > 0 && s <= 30 { m.stretch = s } else { n.report("must be above 0 and at most 30, got \(s)") }
            }
        }

        switch m.grading {
        case .geometric:
            if o.has("stretch") { o.report("stretch", "only for grading \"tanh\" (a geometric grading takes growth and smallest)") }
        case .tanh:
            if m.cells == nil {
                o.report(o.has("max_cell") ? "max_cell" : "grading", "a tanh grading needs cells (the number of cells), not max_cell")
            }
            if o.has("growth") { o.report("growth", "only for grading \"geometric\" (a tanh grading takes stretch or smallest)") }
            if o.has("stretch") && o.has("smallest") {
                o.report("stretch", "give stretch or smallest, not both")
            } else if m.stretch == nil && m.smallest == nil && !o.has("stretch") && !o.has("smallest") {
                o.report("grading", "a tanh grading needs stretch (δ, e.g. 3) or smallest (the first cell)")
            }
        case .uniform:
            for key in ["growth", "smallest", "stretch", "toward"] where o.has(key) {
                o.report(key, "does not apply to a uniform mesh")
            }
            if m.cells == nil && m.maxCell == nil { o.report("grading", "a uniform mesh needs cells or max_cell") }
        }
        return m
    }

    /// Face positions: lengths ≥ 0, rising strictly.
    static func readFaces(_ node: ConfigNode) -> [Double]? {
        guard let items = node.array() else { return nil }
        var faces: [Double] = []
        var ok = true
        var previous: (value: Double, index: Int, shown: String)?
        for (k, item) in items.enumerated() {
            guard let v = item.quantity(.length) else { ok = false; continue }
            if v < 0 {
                item.report("must not be negative, got \(item.shown)")
                ok = false
                continue
            }
            if let p = previous, v <= p.value {
                item.report("must be greater than faces[\(p.index)] (\(p.shown)): face positions rise strictly from the layer's first face")
                ok = false
                continue
            }
            previous = (v, k, item.shown)
            faces.append(v)
        }
        return ok ? faces : nil
    }

    /// Problems that need the layer's thickness `t` (m): faces inside the layer, a tanh
    /// grading's smallest cell below the uniform width. Reported at the keys' paths.
    public func check(thickness t: Double, meshPath: String, layer: String, diagnostics: ConfigDiagnostics) {
        func report(_ key: String, _ message: String) {
            let o = origin(key, fallback: meshPath)
            diagnostics.report(o.path, message, at: o.position)
        }
        if let faces {
            for (k, y) in faces.enumerated() where y > t * (1 + 1e-12) {
                let o = origins["faces"].map { KeyOrigin(path: $0.path + "[\(k)]", position: $0.position) }
                    ?? KeyOrigin(path: meshPath + ".faces[\(k)]", position: nil)
                diagnostics.report(o.path, String(format: "%.6g m lies outside the layer \"%@\" (thickness %.6g m)", y, layer, t), at: o.position)
            }
            return
        }
        if grading == .tanh, let s = smallest, let n = cells, s >= t / Double(n) {
            report("smallest", String(format: "%.6g m is not below thickness/cells = %.6g m of layer \"%@\"; a tanh grading needs a finer first cell", s, t / Double(n), layer))
        }
    }
}
