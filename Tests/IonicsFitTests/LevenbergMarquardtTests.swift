import Foundation
import IonicsFit
import IonicsLinearAlgebra
import Testing

@Suite("Levenberg–Marquardt on analytic problems")
struct LevenbergMarquardtTests {
    /// One point at a time (the solver's batch interface).
    static func batch(_ f: @escaping ([Double]) -> [Double]) -> ([[Double]]) -> [[Double]] { { $0.map(f) } }

    @Test("exponential decay y = A·e^(−k·t): exact data give back A = 2.5, k = 1.3 from (1, 0.2)")
    func exponentialDecay() throws {
        let t = (0..<30).map { Double($0) * 0.1 }
        let y = t.map { 2.5 * exp(-1.3 * $0) }
        var options = LevenbergMarquardtOptions()
        options.finiteDifferenceStep = 1e-7
        options.costTolerance = 1e-14
        options.stepTolerance = 1e-12
        options.maxIterations = 100
        let s = try LevenbergMarquardt.minimize(
            start: [1, 0.2], lower: [0, 0], upper: [10, 10], options: options,
            evaluate: Self.batch { p in zip(t, y).map { p[0] * exp(-p[1] * $0) - $1 } })
        #expect(abs(s.parameters[0] - 2.5) < 1e-6)
        #expect(abs(s.parameters[1] - 1.3) < 1e-6)
        #expect(s.converged)
    }

    @Test("Rosenbrock r = (10(y − x²), 1 − x): the minimum (1, 1) from (−1.2, 1)")
    func rosenbrock() throws {
        var options = LevenbergMarquardtOptions()
        options.finiteDifferenceStep = 1e-8
        options.costTolerance = 1e-15
        options.stepTolerance = 1e-12
        options.maxIterations = 200
        let s = try LevenbergMarquardt.minimize(
            start: [-1.2, 1], lower: [-5, -5], upper: [5, 5], options: options,
            evaluate: Self.batch { p in [10 * (p[1] - p[0] * p[0]), 1 - p[0]] })
        #expect(abs(s.parameters[0] - 1) < 1e-5)
        #expect(abs(s.parameters[1] - 1) < 1e-5)
    }

    @Test("bounds hold: Rosenbrock with x ≤ 0.5 ends at (0.5, 0.25) and no iterate leaves the box")
    func bounded() throws {
        var options = LevenbergMarquardtOptions()
        options.finiteDifferenceStep = 1e-8
        options.maxIterations = 200
        options.costTolerance = 1e-15
        var visited: [[Double]] = []
        let s = try LevenbergMarquardt.minimize(
            start: [-1.2, 1], lower: [-2, -2], upper: [0.5, 2], options: options,
            evaluate: { points in
                visited += points
                return points.map { p in [10 * (p[1] - p[0] * p[0]), 1 - p[0]] }
            })
        #expect(abs(s.parameters[0] - 0.5) < 1e-9)
        #expect(abs(s.parameters[1] - 0.25) < 1e-5)
        #expect(s.atBound == [true, false])
        // Finite-difference points step inward at a bound, so every evaluation is inside.
        #expect(visited.allSatisfy { $0[0] >= -2 && $0[0] <= 0.5 && $0[1] >= -2 && $0[1] <= 2 })
    }

    @Test("a failed trial point (NaN residuals) is rejected, not fatal")
    func failedTrial() throws {
        // The model "fails" for x > 3; the optimum x = 2 is reachable.
        let s = try LevenbergMarquardt.minimize(
            start: [0], lower: [-10], upper: [10],
            evaluate: Self.batch { p in p[0] > 3 ? [.nan] : [p[0] - 2] })
        #expect(abs(s.parameters[0] - 2) < 1e-6)
    }
}
