import IonicsUnits

/// How one layer is meshed across its thickness.
public struct MeshSpec: Sendable, Equatable {
    /// Number of cells; nil when `maxCell` decides.
    public var cells: Int?
    /// Largest allowed cell, m; nil when `cells` decides.
    public var maxCell: Double?
    /// Geometric growth ratio of neighbouring cells away from the layer's faces (≥ 1).
    public var growth: Double
    /// Smallest cell at the layer's faces, m; nil means uniform-looking grading
    /// decided by `growth` alone.
    public var smallest: Double?

    public init(cells: Int? = nil, maxCell: Double? = nil, growth: Double = 1.0, smallest: Double? = nil) {
        self.cells = cells
        self.maxCell = maxCell
        self.growth = growth
        self.smallest = smallest
    }

    public static let `default` = MeshSpec(cells: 40, growth: 1.15)

    /// Reads a `mesh` object; `fallback` supplies keys the object leaves out.
    public static func read(_ node: ConfigNode, fallback: MeshSpec = .default) -> MeshSpec {
        guard let o = node.object() else { return fallback }
        var m = fallback
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
        if o.has("smallest") { m.smallest = o.positiveQuantity("smallest", .length) }
        return m
    }
}

/// One layer of the device stack as written in the configuration.
public struct LayerConfig: Sendable, Equatable {
    public var name: String
    /// Material name, looked up in `configs/materials`.
    public var material: String
    /// Thickness, m.
    public var thickness: Double
    public var mesh: MeshSpec
}

/// Lateral geometry of the channel: width W and length L (source to drain), m.
public struct GeometryConfig: Sendable, Equatable {
    public var width: Double
    public var length: Double
    /// Channel area W·L, m².
    public var area: Double { width * length }
}

/// A device configuration as read from JSON, in SI units. It says what the user
/// wrote, checked for types, units and ranges; the device layer turns it into a model.
public struct DeviceConfig: Sendable {
    public var name: String
    public var description: String
    /// Temperature, K.
    public var temperature: Double
    public var geometry: GeometryConfig?
    public var layers: [LayerConfig]
    /// The configuration text exactly as given, stored with the results.
    public var sourceText: String

    /// Reads and validates a configuration; throws a ``ConfigError`` listing every
    /// problem, or a syntax error.
    public static func parse(_ text: String, source: String) throws -> DeviceConfig {
        try readConfiguration(text: text, source: source) { root in read(root, text: text) }
    }

    static func read(_ root: ConfigNode, text: String) -> DeviceConfig {
        var config = DeviceConfig(name: "", description: "", temperature: 298.15, geometry: nil, layers: [], sourceText: text)
        guard let o = root.object() else { return config }
        config.name = o.required("name", "a name for the run")?.string() ?? ""
        config.description = o.string("description", default: "")!
        if let t = o.optional("temperature") {
            if let k = t.quantity(.temperature) {
                if k <= 0 || k > 2000 { t.report("must be between 0 and 2000 K, got \(k) K") } else { config.temperature = k }
            }
        }
        if let g = o.optional("geometry")?.object() {
            let w = g.positiveQuantity("width", .length)
            let l = g.positiveQuantity("length", .length)
            if let w, let l { config.geometry = GeometryConfig(width: w, length: l) }
        }
        let defaultMesh = o.optional("mesh").map { MeshSpec.read($0) } ?? .default
        if let layers = o.required("layers", "the device stack, from the gate to the channel")?.array() {
            if layers.isEmpty { o.report("layers", "needs at least one layer") }
            var names: Set<String> = []
            for node in layers {
                guard let l = node.object() else { continue }
                let name = l.required("name")?.string() ?? ""
                if !name.isEmpty {
                    if names.contains(name) { l.report("name", "duplicate layer name \"\(name)\"") }
                    names.insert(name)
                }
                let material = l.required("material")?.string() ?? ""
                let thickness = l.positiveQuantity("thickness", .length) ?? 0
                let mesh = l.optional("mesh").map { MeshSpec.read($0, fallback: defaultMesh) } ?? defaultMesh
                config.layers.append(LayerConfig(name: name, material: material, thickness: thickness, mesh: mesh))
            }
        }
        if let m = o.optional("metadata")?.object() { m.acceptsAnyKey = true }
        return config
    }
}
