/// A scalar function of time in SI units (a boundary value, a terminal voltage …).
public struct TimeFunction: Sendable {
    private let body: @Sendable (Double) -> Double
    /// The value when the function does not depend on time.
    public let constantValue: Double?

    public init(_ body: @escaping @Sendable (Double) -> Double) {
        self.body = body
        constantValue = nil
    }

    public static func constant(_ v: Double) -> TimeFunction { TimeFunction(constant: v) }

    private init(constant v: Double) {
        body = { _ in v }
        constantValue = v
    }

    @inlinable
    public func callAsFunction(_ t: Double) -> Double { evaluate(t) }

    public func evaluate(_ t: Double) -> Double { constantValue ?? body(t) }

    /// This function times `factor`.
    public func scaled(by factor: Double) -> TimeFunction {
        if let c = constantValue { return .constant(c * factor) }
        let f = body
        return TimeFunction { f($0) * factor }
    }
}
