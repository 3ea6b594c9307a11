import Foundation
import IonicsLinearAlgebra
import IonicsSolvers
import Testing

/// Two potentials near 1 whose small difference is what a user reads, as the charge
/// g·(V − φ) of an electrode: a' = −(a − 1 − ε(1 + sin t)) with a(0) = 1 + ε, b = 1 held by
/// an algebraic row, and q = (a − b)/ε, exactly
/// q(t) = 1 + sin t/2 − cos t/2 + e^{−t}/2.
struct SmallDifference: DifferentialAlgebraicSystem {
    var epsilon: Double
    var monitor: Bool
    var size: Int { 2 }
    var unknownKinds: [UnknownKind] { [.potential, .potential] }
    var mass: [Double] { [1, 0] }
    var sparsity: SparsityPattern { .band(size: 2, lower: 1, upper: 1) }
    func evaluate(_ u: [Double], time t: Double, f: inout [Double], jacobian: inout SparseMatrix?) throws {
        f[0] = -(u[0] - 1 - epsilon * (1 + sin(t)))
        f[1] = 1 - u[1]
        if jacobian != nil {
            jacobian!.setZero()
            jacobian![0, 0] = -1
            jacobian![1, 1] = -1
        }
    }
    func describe(row index: Int) -> String { "row \(index)" }
    func equationName(row index: Int) -> String { "row" }
    var monitoredQuantities: [MonitoredQuantity] {
        monitor ? [MonitoredQuantity(indices: [0, 1], coefficients: [1 / epsilon, -1 / epsilon], scale: 1)] : []
    }
    func monitoredValues(_ u: [Double], time: Double) -> [Double] { monitor ? [(u[0] - u[1]) / epsilon] : [] }
    static func exact(_ t: Double) -> Double { 1 + 0.5 * sin(t) - 0.5 * cos(t) + 0.5 * exp(-t) }
}

@Suite("Monitored quantities in the error norm")
struct MonitoredQuantityTests {
    /// Max |q − q_exact| / max |q_exact| over the step ends up to t = 10, and the steps taken.
    func run(monitor: Bool, epsilon: Double = 1e-3) throws -> (error: Double, steps: Int) {
        let options = TimeIntegratorOptions()
        let system = SmallDifference(epsilon: epsilon, monitor: monitor)
        let integrator = TRBDF2Integrator(system: system, state: [1 + epsilon, 1], time: 0, options: options)
        var error = 0.0
        try integrator.advance(to: 10) { record in
            let q = (record.after[0] - record.after[1]) / epsilon
            error = max(error, abs(q - SmallDifference.exact(record.end)))
        }
        return (error / 2, integrator.statistics.steps)
    }

    @Test("a small difference of large unknowns is held to the readout tolerance only when monitored")
    func monitoredDifference() throws {
        let options = TimeIntegratorOptions()
        let readout = options.readoutToleranceRatio * options.relativeTolerance
        let plain = try run(monitor: false)
        let monitored = try run(monitor: true)
        // Unmonitored, the weights of a and b (~1e-4·1) allow errors of order 1e-4/ε in q.
        #expect(plain.error > 10 * readout * 20, "plain \(plain)")
        // Monitored, the global error stays within a small multiple of the readout tolerance.
        #expect(monitored.error < 10 * readout, "monitored \(monitored), readout tolerance \(readout)")
        #expect(monitored.steps > plain.steps)
    }
}
