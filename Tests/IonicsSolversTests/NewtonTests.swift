import Foundation
import IonicsLinearAlgebra
import IonicsSolvers
import Testing

/// F(u) = (u₀² + u₁² − 4, u₀ − u₁) with root (√2, √2); `singular` makes row 1 zero.
struct Circle: NonlinearSystem {
    var singular = false
    var size: Int { 2 }
    var unknownKinds: [UnknownKind] { [.free, .potential] }
    var sparsity: SparsityPattern { .band(size: 2, lower: 1, upper: 1) }
    func evaluate(_ u: [Double], residual: inout [Double], jacobian: inout SparseMatrix?) throws {
        residual[0] = u[0] * u[0] + u[1] * u[1] - 4
        residual[1] = singular ? 1 : u[0] - u[1]
        if jacobian != nil {
            jacobian![0, 0] = 2 * u[0]
            jacobian![0, 1] = 2 * u[1]
            jacobian![1, 0] = singular ? 0 : 1
            jacobian![1, 1] = singular ? 0 : -1
        }
    }
    func describe(row index: Int) -> String { index == 0 ? "circle equation" : "diagonal equation" }
    func equationName(row index: Int) -> String { index == 0 ? "circle" : "diagonal" }
}

/// F(u) = (u₀ − 1, u₁ + 1e-30·(1 + u₀)): a density whose root lies a round-off below zero.
struct DepletedDensity: NonlinearSystem {
    var size: Int { 2 }
    var unknownKinds: [UnknownKind] { [.potential, .density] }
    var sparsity: SparsityPattern { .band(size: 2, lower: 1, upper: 1) }
    func evaluate(_ u: [Double], residual: inout [Double], jacobian: inout SparseMatrix?) throws {
        residual[0] = u[0] - 1
        residual[1] = u[1] + 1e-30 * (1 + u[0])
        if jacobian != nil {
            jacobian![0, 0] = 1
            jacobian![1, 0] = 1e-30
            jacobian![1, 1] = 1
        }
    }
    func describe(row index: Int) -> String { "row \(index)" }
    func equationName(row index: Int) -> String { index == 0 ? "potential" : "density" }
}

@Suite("Newton")
struct NewtonTests {
    @Test("a depleted density clipped by a round-off amount does not block convergence")
    func depletedDensity() throws {
        var jac: JacobianWorkspace? = nil
        let (u, report) = try NewtonSolver().solve(DepletedDensity(), from: [0, 0], workspace: &jac)
        #expect(u[0] == 1)
        #expect(u[1] == 0)
        #expect(report.iterations <= 3)
    }

    @Test("converges quadratically to the root")
    func converges() throws {
        var jac: JacobianWorkspace? = nil
        let (u, report) = try NewtonSolver().solve(Circle(), from: [3, 1], workspace: &jac)
        #expect(abs(u[0] - 2.0.squareRoot()) < 1e-14)
        #expect(abs(u[1] - 2.0.squareRoot()) < 1e-14)
        #expect(report.iterations <= 8)
    }

    @Test("potential updates are limited to a few thermal voltages")
    func damping() throws {
        var o = NewtonOptions()
        o.maxIterations = 1
        o.maxPotentialStep = 0.5
        var jac: JacobianWorkspace? = nil
        // From (100, −100) the first full update moves u₁ by ~100; damped it moves by 0.5.
        do {
            _ = try NewtonSolver(options: o).solve(Circle(), from: [100, -100], workspace: &jac)
            Issue.record("converged in one iteration")
        } catch {
            #expect(error.iteration == 1)
        }
    }

    @Test("a singular Jacobian names the equation and the residual norms")
    func singular() {
        var jac: JacobianWorkspace? = nil
        do {
            _ = try NewtonSolver().solve(Circle(singular: true), from: [1, 1], workspace: &jac)
            Issue.record("solved a singular system")
        } catch {
            guard case .singularJacobian(let row) = error.reason else {
                Issue.record("wrong reason \(error.reason)")
                return
            }
            #expect(row == "diagonal equation")
            #expect(error.residualByEquation.map(\.equation) == ["circle", "diagonal"])
            #expect(error.description.contains("iteration 1"))
        }
    }

    @Test("modified Newton reaches the same root with fewer factorisations, and reuses them across solves")
    func reuse() throws {
        var o = NewtonOptions()
        o.reuseJacobian = true
        o.relative = 1e-12
        o.absolutePotential = 1e-12
        o.weights.absoluteFree = 1e-12
        var jac: JacobianWorkspace? = nil
        let (u, report) = try NewtonSolver(options: o).solve(Circle(), from: [1.3, 1.5], workspace: &jac)
        #expect(abs(u[0] - 2.0.squareRoot()) < 1e-11)
        #expect(abs(u[1] - 2.0.squareRoot()) < 1e-11)
        #expect(report.factorisations < report.iterations)
        // Systems without a Jacobian key never share a factorisation across solves …
        let (_, again) = try NewtonSolver(options: o).solve(Circle(), from: [1.45, 1.4], workspace: &jac)
        #expect(again.factorisations == 1)
        // … systems with equal keys do: the second solve starts from the kept factors.
        struct Keyed: NonlinearSystem {
            var inner = Circle()
            var size: Int { 2 }
            var unknownKinds: [UnknownKind] { inner.unknownKinds }
            var sparsity: SparsityPattern { inner.sparsity }
            var jacobianKey: Double { 1 }
            func evaluate(_ u: [Double], residual: inout [Double], jacobian: inout SparseMatrix?) throws {
                try inner.evaluate(u, residual: &residual, jacobian: &jacobian)
            }
            func describe(row index: Int) -> String { inner.describe(row: index) }
            func equationName(row index: Int) -> String { inner.equationName(row: index) }
        }
        _ = try NewtonSolver(options: o).solve(Keyed(), from: [1.3, 1.5], workspace: &jac)
        let (v, second) = try NewtonSolver(options: o).solve(Keyed(), from: [1.45, 1.4], workspace: &jac)
        #expect(abs(v[0] - 2.0.squareRoot()) < 1e-11)
        #expect(second.factorisations == 0)
    }
}

/// F(u) = u + ε·u² − b: nearly linear for small ε (Newton's quadratic constant ≈ ε).
struct WeaklyQuadratic: NonlinearSystem {
    var epsilon: Double
    var b: Double
    var size: Int { 1 }
    var unknownKinds: [UnknownKind] { [.free] }
    var sparsity: SparsityPattern { .band(size: 1, lower: 0, upper: 0) }
    func evaluate(_ u: [Double], residual: inout [Double], jacobian: inout SparseMatrix?) throws {
        residual[0] = u[0] + epsilon * u[0] * u[0] - b
        if jacobian != nil { jacobian![0, 0] = 1 + 2 * epsilon * u[0] }
    }
    func describe(row index: Int) -> String { "row \(index)" }
    func equationName(row index: Int) -> String { "u" }
    /// The positive root, in a form without cancellation.
    func root() -> Double { 2 * b / (1 + (1 + 4 * epsilon * b).squareRoot()) }
}

@Suite("Newton with a chord verifying iteration")
struct NewtonChordTests {
    /// Solves b = 1.0001, 1.0002, … in sequence, each from the previous solution (as a
    /// time integrator's stages are): iterations and factorisations per solve, and the
    /// worst error relative to the weights (1e-6·|u|).
    func march(epsilon: Double, chord: Bool, step: Double = 1e-4, maxIterations: Int = 25) throws
        -> (iterations: [Int], factorisations: [Int], worstError: Double)
    {
        var o = NewtonOptions()
        o.tolerance = 1e-3
        o.weights = ErrorWeights(relative: 1e-6, absolutePotential: 1e-6, absoluteDensity: 1e-6, absoluteFree: 0)
        o.chordVerification = chord
        o.maxIterations = maxIterations
        var jac: JacobianWorkspace? = nil
        var u = [1.0]
        var iterations: [Int] = [], factorisations: [Int] = []
        var worst = 0.0
        for k in 0..<12 {
            let system = WeaklyQuadratic(epsilon: epsilon, b: 1 + step * Double(k + 1))
            let (v, report) = try NewtonSolver(options: o).solve(system, from: u, workspace: &jac)
            iterations.append(report.iterations)
            factorisations.append(report.factorisations)
            worst = max(worst, abs(v[0] - system.root()) / (1e-6 * abs(v[0])))
            u = v
        }
        return (iterations, factorisations, worst)
    }

    /// ‖Δ₁‖ ≈ 100 weights, ‖Δ₂‖ ≈ 1e-7 (ε = 1e-5): the chord step contracts by ρ ≈ 1e-9,
    /// far inside the chord target (1e-6 of the tolerance).
    @Test("a nearly linear stage is verified on the first iteration's factors, one factorisation per solve, as exact as full Newton")
    func nearlyLinear() throws {
        let full = try march(epsilon: 1e-5, chord: false)
        let chord = try march(epsilon: 1e-5, chord: true)
        #expect(full.iterations.allSatisfy { $0 == 2 } && full.factorisations.allSatisfy { $0 == 2 })
        #expect(chord.iterations.allSatisfy { $0 == 2 })
        #expect(chord.factorisations.allSatisfy { $0 == 1 })
        #expect(chord.worstError <= 1e-9)
    }

    /// ε = 3, steps of 3e-4 in b: full Newton needs three iterations per solve (‖Δ₂‖ ≈
    /// 1e-2 weights, ten times the tolerance); where a chord step's error estimate misses
    /// the chord target, a fresh iteration follows.
    @Test("a more nonlinear stage falls back to fresh iterations and reaches the same root")
    func stronglyNonlinear() throws {
        let full = try march(epsilon: 3, chord: false, step: 3e-4)
        let chord = try march(epsilon: 3, chord: true, step: 3e-4)
        #expect(chord.worstError <= 1e-9)
        #expect(full.worstError <= 1e-9)
        // Never more than one chord step per fresh one, and at least one factorisation saved overall.
        #expect(zip(chord.iterations, chord.factorisations).allSatisfy { $0 <= 2 * $1 })
        #expect(chord.factorisations.reduce(0, +) < full.factorisations.reduce(0, +))
    }
}

extension NewtonChordTests {
    @Test("the last allowed iteration is always fresh: with two iterations the chord step is never taken")
    func lastIterationFresh() throws {
        let chord = try march(epsilon: 1e-5, chord: true, maxIterations: 2)
        #expect(chord.iterations.allSatisfy { $0 == 2 })
        #expect(chord.factorisations.allSatisfy { $0 == 2 })
        #expect(chord.worstError <= 1e-9)
    }

    @Test("damped updates far from the root are all fresh; the chord step comes only once undamped, and the root is the same")
    func damped() throws {
        var o = NewtonOptions()
        o.maxPotentialStep = 0.5
        o.maxIterations = 400
        o.chordVerification = true
        var jac: JacobianWorkspace? = nil
        let (u, report) = try NewtonSolver(options: o).solve(Circle(), from: [100, 1], workspace: &jac)
        var full = o
        full.chordVerification = false
        var jac2: JacobianWorkspace? = nil
        let (v, reference) = try NewtonSolver(options: full).solve(Circle(), from: [100, 1], workspace: &jac2)
        #expect(abs(u[0] - 2.0.squareRoot()) < 1e-14 && abs(u[1] - 2.0.squareRoot()) < 1e-14)
        #expect(abs(v[0] - u[0]) < 1e-14 && abs(v[1] - u[1]) < 1e-14)
        // The damped walk is full Newton's, fresh iteration by fresh iteration; chord steps
        // only at the end (each one saves at most the fresh iteration it replaces).
        #expect(reference.iterations > 5, "\(reference)")
        #expect(report.factorisations <= reference.factorisations, "\(report) vs \(reference)")
        #expect(report.iterations - report.factorisations <= 3, "\(report)")
    }
}

extension TRBDF2Tests {
    @Test("the chord verifying iteration gives full Newton's solution with fewer factorisations")
    func chordVerification() throws {
        for lambda in [-1.0, -1e4] {
            var states: [[Double]] = []
            var factorisations: [Int] = []
            for chord in [false, true] {
                var o = TimeIntegratorOptions()
                o.chordVerification = chord
                o.relativeTolerance = 1e-6
                o.absoluteFree = 1e-6
                let integrator = TRBDF2Integrator(system: ProtheroRobinson(lambda: lambda), state: [2, 4], time: 0, options: o)
                try integrator.advance(to: 1) { _ in }
                states.append(integrator.state)
                factorisations.append(integrator.statistics.factorisations)
            }
            #expect(abs(states[1][0] - states[0][0]) <= 1e-9 * abs(states[0][0]), "λ = \(lambda): \(states)")
            #expect(abs(states[1][1] - states[0][1]) <= 1e-9 * abs(states[0][1]), "λ = \(lambda): \(states)")
            #expect(factorisations[1] < factorisations[0], "λ = \(lambda): \(factorisations)")
        }
    }
}
