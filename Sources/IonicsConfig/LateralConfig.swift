import IonicsUnits

/// The lateral direction x of a 2D cross-section (`"dimension": 2`): from the source
/// contact (x = 0) to the drain contact (x = L, the geometry's `length`). The device's
/// `width` is then the depth out of the plane. The lateral mesh is built from the
/// edges of every placed layer (a partial gate) and the two contacts: between two
/// neighbouring edges the cells shrink geometrically towards both, from `smallest`
/// with ratio `growth`, up to `max_cell`; `cells` asks for uniform cells instead.
public struct LateralConfig: Sendable, Equatable {
    /// Smallest cell at the edges, m (nil: L/400).
    public var smallest: Double?
    /// Largest cell, m (nil: L/40).
    public var maxCell: Double?
    /// Growth ratio of neighbouring cells away from an edge (> 1).
    public var growth = 1.25
    /// Uniform cells over the whole length (nil: graded towards the edges).
    public var cells: Int?

    public init() {}

    static func read(_ node: ConfigNode) -> LateralConfig {
        var c = LateralConfig()
        guard let o = node.object() else { return c }
        c.smallest = o.positiveQuantity("smallest", .length, default: -1).flatMap { $0 > 0 ? $0 : nil }
        c.maxCell = o.positiveQuantity("max_cell", .length, default: -1).flatMap { $0 > 0 ? $0 : nil }
        if let g = o.number("growth") {
            if g >= 1.01 && g <= 3 { c.growth = g } else { o.report("growth", "must be between 1.01 and 3, got \(g)") }
        }
        if let n = o.integer("cells") {
            if n >= 1 && n <= 100_000 { c.cells = n } else { o.report("cells", "must be between 1 and 100000, got \(n)") }
            for key in ["smallest", "max_cell", "growth"] where o.has(key) {
                o.report(key, "cannot be combined with cells (uniform cells)")
            }
        }
        if let s = c.smallest, let m = c.maxCell, s > m {
            o.report("smallest", "must not exceed max_cell")
        }
        return c
    }
}

/// Where a layer lies along the channel in a 2D cross-section: from `offset` (measured
/// from the source end, x = 0) over `length`. Only the metals at the ends of the stack
/// (a gate electrode, a back contact) can cover part of the channel; the meshed layers
/// span it.
public struct LateralPlacement: Sendable, Equatable {
    /// m.
    public var offset: Double
    /// m.
    public var length: Double
    /// Key path, for messages.
    public var path: String

    public var end: Double { offset + length }

    static func read(_ node: ConfigNode) -> LateralPlacement? {
        guard let o = node.object() else { return nil }
        let offset = o.quantity("offset", .length, default: 0)
        if let offset, offset < 0 { o.report("offset", "must not be negative") }
        let length = o.required("length", "how much of the channel the layer covers")?.quantity(.length)
        if let length, length <= 0 { o.report("length", "must be positive") }
        guard let offset, let length, offset >= 0, length > 0 else { return nil }
        return LateralPlacement(offset: offset, length: length, path: node.path)
    }
}
