/// A value in SI units together with its dimension.
public struct Quantity: Hashable, Sendable, CustomStringConvertible {
    /// The value in coherent SI units (kelvin for temperatures).
    public var value: Double
    public var dimension: Dimension

    public init(_ value: Double, _ dimension: Dimension) {
        self.value = value
        self.dimension = dimension
    }

    public var description: String {
        dimension.isDimensionless ? "\(value)" : "\(value) \(dimension)"
    }
}
