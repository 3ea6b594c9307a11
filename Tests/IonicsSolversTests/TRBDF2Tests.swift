import Foundation
import IonicsLinearAlgebra
import IonicsSolvers
import Testing

/// y₀' = λ(y₀ − cos t) − sin t (exact y₀ = cos t + (y₀(0) − 1)e^(λt)) and an algebraic
/// row y₁ = y₀² (a DAE of index 1, like Poisson next to Nernst–Planck).
struct ProtheroRobinson: DifferentialAlgebraicSystem {
    var lambda: Double
    var size: Int { 2 }
    var unknownKinds: [UnknownKind] { [.free, .free] }
    var mass: [Double] { [1, 0] }
    var sparsity: SparsityPattern { .band(size: 2, lower: 1, upper: 1) }
    func evaluate(_ u: [Double], time t: Double, f: inout [Double], jacobian: inout SparseMatrix?) throws {
        f[0] = lambda * (u[0] - cos(t)) - sin(t)
        f[1] = u[0] * u[0] - u[1]
        if jacobian != nil {
            jacobian!.setZero()
            jacobian![0, 0] = lambda
            jacobian![1, 0] = 2 * u[0]
            jacobian![1, 1] = -1
        }
    }
    func describe(row index: Int) -> String { "row \(index)" }
    func equationName(row index: Int) -> String { index == 0 ? "ode" : "constraint" }
}

@Suite("TR-BDF2 integrator")
struct TRBDF2Tests {
    func solve(lambda: Double, fixed: Double? = nil, rtol: Double = 1e-6, to end: Double = 1,
               breakpoints: [Breakpoint] = [], reuse: Bool = false) throws -> (TRBDF2Integrator<ProtheroRobinson>, [StepRecord]) {
        var o = TimeIntegratorOptions()
        o.reuseJacobian = reuse
        o.fixedStep = fixed
        o.relativeTolerance = rtol
        o.absoluteFree = rtol
        let integrator = TRBDF2Integrator(system: ProtheroRobinson(lambda: lambda), state: [1, 1], time: 0, options: o)
        var records: [StepRecord] = []
        try integrator.advance(to: end, breakpoints: breakpoints) { records.append($0) }
        return (integrator, records)
    }

    @Test("second order with fixed steps, differential and algebraic components")
    func order() throws {
        var errors: [Double] = []
        for n in [10, 20, 40, 80] {
            let (i, _) = try solve(lambda: -1, fixed: 1 / Double(n))
            errors.append(max(abs(i.state[0] - cos(1)), abs(i.state[1] - cos(1) * cos(1))))
        }
        for (a, b) in zip(errors, errors.dropFirst()) {
            #expect(log2(a / b) > 1.9 && log2(a / b) < 2.2, "\(errors)")
        }
    }

    @Test("Jacobian reuse keeps second order and the solution, with fewer factorisations")
    func reuse() throws {
        var errors: [Double] = []
        for n in [10, 20, 40, 80] {
            let (fresh, _) = try solve(lambda: -1, fixed: 1 / Double(n))
            let (reused, _) = try solve(lambda: -1, fixed: 1 / Double(n), reuse: true)
            errors.append(max(abs(reused.state[0] - cos(1)), abs(reused.state[1] - cos(1) * cos(1))))
            #expect(abs(reused.state[0] - fresh.state[0]) < 1e-8)
            #expect(reused.statistics.factorisations < fresh.statistics.factorisations / 2,
                    "\(reused.statistics.factorisations) vs \(fresh.statistics.factorisations)")
        }
        for (a, b) in zip(errors, errors.dropFirst()) { #expect(log2(a / b) > 1.9 && log2(a / b) < 2.2, "\(errors)") }
    }

    @Test("dense output: the stage quadratic is exact at the stages and second order between them")
    func denseOutput() throws {
        // Fixed steps: interpolate at 7 interior points of every step and compare with the
        // exact solution; the worst error must fall as h² (the method's order).
        var errors: [Double] = []
        for n in [10, 20, 40, 80] {
            let (_, records) = try solve(lambda: -1, fixed: 1 / Double(n))
            var worst = 0.0
            for r in records where r.kind == .step {
                #expect(r.interpolate(at: r.end) == r.after)
                #expect(r.interpolate(at: r.quadrature[1].time) == r.quadrature[1].state)
                for k in 1...7 {
                    let t = r.start + Double(k) / 8 * (r.end - r.start)
                    let u = r.interpolate(at: t)
                    worst = max(worst, abs(u[0] - cos(t)), abs(u[1] - cos(t) * cos(t)))
                }
            }
            errors.append(worst)
        }
        for (a, b) in zip(errors, errors.dropFirst()) { #expect(log2(a / b) > 1.9, "\(errors)") }
        // Adaptive steps at a tight tolerance: the interpolant is as accurate as the steps.
        let (_, records) = try solve(lambda: -1, rtol: 1e-8)
        let times = (1..<200).map { Double($0) / 200 }
        var worst = 0.0
        for t in times {
            guard let r = records.first(where: { $0.kind == .step && $0.covers(t) }) else {
                Issue.record("no step covers t = \(t)")
                continue
            }
            worst = max(worst, abs(r.interpolate(at: t)[0] - cos(t)))
        }
        #expect(worst < 1e-6)
    }

    @Test("L-stable: a very stiff component is damped, not left oscillating")
    func lStable() throws {
        var o = TimeIntegratorOptions()
        o.fixedStep = 0.1
        let integrator = TRBDF2Integrator(system: ProtheroRobinson(lambda: -1e8), state: [2, 4], time: 0, options: o)
        try integrator.advance(to: 1) { _ in }
        // The transient (y₀(0) − 1)e^(λt) is gone; what is left is the O(h²/λ) error.
        #expect(abs(integrator.state[0] - cos(1)) < 1e-8)
    }

    @Test("error control: the global error falls with the tolerance")
    func errorControl() throws {
        var previous = Double.infinity
        for rtol in [1e-3, 1e-5, 1e-7] {
            let (i, records) = try solve(lambda: -50, rtol: rtol)
            let e = abs(i.state[0] - cos(1))
            #expect(e < 10 * rtol, "rtol \(rtol): error \(e)")
            #expect(e < previous)
            #expect(records.allSatisfy { $0.errorEstimate <= 1 })
            previous = e
        }
    }

    @Test("breakpoints are landed on exactly and discontinuities re-initialise the algebraic rows")
    func breakpoints() throws {
        let marks = [Breakpoint(0.25, discontinuous: false), Breakpoint(0.5, discontinuous: true), Breakpoint(0.3333, discontinuous: false)]
        let (_, records) = try solve(lambda: -5, to: 1, breakpoints: marks)
        let ends = Set(records.map(\.end))
        #expect(ends.isSuperset(of: [0.25, 0.3333, 0.5, 1.0]))
        #expect(records.filter { $0.kind == .reinitialisation }.count == 1)
        #expect(records.first { $0.kind == .reinitialisation }?.end == 0.5)
        // Steps are contiguous.
        for (a, b) in zip(records, records.dropFirst()) { #expect(a.end == b.start) }
    }

    @Test("quadrature weights integrate f exactly over a step: M·Δu = Σ w f")
    func quadrature() throws {
        let (_, records) = try solve(lambda: -3, fixed: 0.1)
        let system = ProtheroRobinson(lambda: -3)
        for r in records where r.kind == .step {
            var f = [0.0, 0.0]
            var none: SparseMatrix? = nil
            var integral = 0.0
            for q in r.quadrature {
                try system.evaluate(q.state, time: q.time, f: &f, jacobian: &none)
                integral += q.weight * f[0]
            }
            #expect(abs((r.after[0] - r.before[0]) - integral) < 1e-12)
            #expect(abs(r.quadrature.reduce(0) { $0 + $1.weight } - (r.end - r.start)) < 1e-15)
        }
    }

    @Test("a step that cannot shrink further is an error; earlier steps were delivered")
    func stepTooSmall() throws {
        struct Blowup: DifferentialAlgebraicSystem {
            var size: Int { 1 }
            var unknownKinds: [UnknownKind] { [.free] }
            var mass: [Double] { [1] }
            var sparsity: SparsityPattern { .band(size: 1, lower: 0, upper: 0) }
            func evaluate(_ u: [Double], time: Double, f: inout [Double], jacobian: inout SparseMatrix?) throws {
                // y' = y² blows up at t = 1 from y(0) = 1.
                f[0] = u[0] * u[0]
                if jacobian != nil { jacobian![0, 0] = 2 * u[0] }
            }
            func describe(row index: Int) -> String { "y" }
            func equationName(row index: Int) -> String { "y" }
        }
        var o = TimeIntegratorOptions()
        o.minimumStep = 1e-9
        let integrator = TRBDF2Integrator(system: Blowup(), state: [1], time: 0, options: o)
        var delivered = 0
        do {
            try integrator.advance(to: 2) { _ in delivered += 1 }
            Issue.record("integrated through a blow-up")
        } catch let e as TimeIntegrationError {
            #expect(e.time < 1 && e.time > 0.9)
            #expect(delivered > 10)
            #expect(integrator.time == e.time)
        }
    }
}
