/// One line of the verification table: a measured error (or order) against its
/// tolerance.
public struct VerificationRow: Sendable, CustomStringConvertible {
    public var caseName: String
    public var quantity: String
    /// The measured value: an error, or an observed order when `isOrder`.
    public var value: Double
    /// Observed order of convergence, when the row reports one.
    public var order: Double?
    public var tolerance: Double
    /// Orders pass when ≥ tolerance; errors when ≤ tolerance.
    public var isOrder: Bool

    public init(caseName: String, quantity: String, value: Double, order: Double? = nil, tolerance: Double, isOrder: Bool = false) {
        self.caseName = caseName
        self.quantity = quantity
        self.value = value
        self.order = order
        self.tolerance = tolerance
        self.isOrder = isOrder
    }

    public var passed: Bool { value.isFinite && (isOrder ? value >= tolerance : value <= tolerance) }

    public var description: String {
        "\(caseName) | \(quantity) | \(value) | \(isOrder ? "≥" : "≤") \(tolerance) | \(passed ? "pass" : "FAIL")"
    }
}

/// Convergence data of a refinement study, written to HDF5 by `ionics verify`.
public struct ConvergenceSeries: Sendable {
    public var name: String
    /// Mesh sizes (cells) or step sizes, one per refinement.
    public var resolution: [Double]
    public var resolutionLabel: String
    /// Error per refinement, per measured quantity.
    public var errors: [(quantity: String, values: [Double])]
}

/// Everything a verification case produced.
public struct VerificationOutcome: Sendable {
    public var rows: [VerificationRow]
    public var series: [ConvergenceSeries] = []

    public init(rows: [VerificationRow], series: [ConvergenceSeries] = []) {
        self.rows = rows
        self.series = series
    }

    public var passed: Bool { rows.allSatisfy(\.passed) }
}

/// Observed orders log(e_k/e_{k+1}) / log(h_k/h_{k+1}) between successive refinements.
public func observedOrders(errors: [Double], sizes: [Double]) -> [Double] {
    zip(zip(errors, errors.dropFirst()), zip(sizes, sizes.dropFirst())).map { e, h in
        log(e.0 / e.1) / log(h.0 / h.1)
    }
}

import Foundation
