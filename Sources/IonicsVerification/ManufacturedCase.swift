import Foundation
import IonicsDiscretisation
import IonicsPhysics
import IonicsSolvers
import IonicsLinearAlgebra

/// Observed orders of convergence on the manufactured solution: in space on uniform
/// and smoothly graded meshes (steady state), and in time with fixed TR-BDF2 steps.
public enum ManufacturedCase {
    /// Steady solve on a mesh of `cells` cells; errors per field.
    static func steadyErrors(_ m: ManufacturedSolution, cells: Int, graded: Bool) throws -> [(field: String, l2: Double, max: Double)] {
        let mesh = m.mesh(cells: cells, graded: graded)
        let d = try PNPDiscretisation(problem: m.problem(mesh: mesh), mesh: mesh)
        return m.errors(d, try steadyState(d), time: 0)
    }

    /// The steady state of a manufactured problem, solved far below its discretisation error.
    static func steadyState(_ d: PNPDiscretisation) throws -> [Double] {
        var options = NewtonOptions()
        options.maxIterations = 60
        options.relative = 1e-12
        options.absoluteDensity = 1e-14
        options.absolutePotential = 1e-12
        var jac: JacobianWorkspace? = nil
        return try NewtonSolver(options: options).solve(SteadyStateSystem(d), from: d.initialState(), workspace: &jac).0
    }

    /// Spatial study: observed orders of every field's L2 and max errors between
    /// successive meshes, reported as the smallest over all refinements.
    public static func spatial(cells: [Int] = [20, 40, 80, 160, 320], graded: Bool) throws -> VerificationOutcome {
        let m = ManufacturedSolution()
        let results = try cells.map { try steadyErrors(m, cells: $0, graded: graded) }
        return refinementOutcome(
            name: "MMS space (\(graded ? "graded" : "uniform"))", series: graded ? "mms_space_graded" : "mms_space_uniform",
            cells: cells, results: results, threshold: graded ? 1.8 : 1.9)
    }

    /// Rows (the smallest observed order of every field's L2 and, with `maxNorm`, max
    /// errors over the refinements, against `threshold`) and the convergence series of
    /// both norms of a spatial study; `results[r]` are the errors per field on
    /// `cells[r]` (cells per unit length).
    static func refinementOutcome(
        name: String, series: String, cells: [Int], results: [[(field: String, l2: Double, max: Double)]], threshold: Double,
        maxNorm: Bool = true
    ) -> VerificationOutcome {
        let sizes = cells.map { 1 / Double($0) }
        var rows: [VerificationRow] = []
        var errors: [(String, [Double])] = []
        for (f, field) in results[0].enumerated() {
            let l2 = results.map { $0[f].l2 }
            let mx = results.map { $0[f].max }
            errors += [("\(field.field) L2", l2), ("\(field.field) max", mx)]
            let oL2 = observedOrders(errors: l2, sizes: sizes).min()!
            let oMax = observedOrders(errors: mx, sizes: sizes).min()!
            rows.append(VerificationRow(caseName: name, quantity: "order of \(field.field) L2 error (finest \(String(format: "%.2e", l2.last!)))",
                                        value: oL2, order: oL2, tolerance: threshold, isOrder: true))
            guard maxNorm else { continue }
            rows.append(VerificationRow(caseName: name, quantity: "order of \(field.field) max error (finest \(String(format: "%.2e", mx.last!)))",
                                        value: oMax, order: oMax, tolerance: threshold, isOrder: true))
        }
        return VerificationOutcome(rows: rows, series: [
            ConvergenceSeries(name: series, resolution: cells.map(Double.init), resolutionLabel: "cells", errors: errors)
        ])
    }

    /// Temporal study: fixed steps T/n on one mesh, errors against a run with steps
    /// T/(8·n_max) (the time error of the semi-discrete system, free of space error).
    public static func temporal(steps: [Int] = [8, 16, 32, 64, 128], cells: Int = 30) throws -> VerificationOutcome {
        var m = ManufacturedSolution()
        let mesh = m.mesh(cells: cells, graded: false)
        let probe = try PNPDiscretisation(problem: m.problem(mesh: mesh), mesh: mesh)
        let t0 = probe.scales.time
        m.omega = 2 * Double.pi / t0
        let problem = m.problem(mesh: mesh)
        let d = try PNPDiscretisation(problem: problem, mesh: mesh)
        let end = 0.5 * t0
        // Initial state: the exact concentrations at t = 0; the potential is made
        // consistent by the re-initialisation at the discontinuous breakpoint t = 0.
        var u0 = d.initialState()
        for (i, c) in mesh.cells.enumerated() {
            u0[d.layout.potential[i]] = m.potential(c.centre, 0, layer: c.layer) / d.scales.thermalVoltage
            for k in 0..<2 { u0[d.layout.concentration(i, k)] = m.concentration(k, c.centre, 0, layer: c.layer) / d.scales.concentration }
        }
        func run(_ n: Int) throws -> [Double] {
            var options = TimeIntegratorOptions()
            options.fixedStep = end / Double(n)
            options.relativeTolerance = 1e-10
            options.absolutePotential = 1e-10
            options.absoluteDensity = 1e-10
            options.newtonFraction = 1e-3
            let integrator = TRBDF2Integrator(system: d, state: u0, time: 0, options: options)
            try integrator.advance(to: end, breakpoints: [Breakpoint(0, discontinuous: true)]) { _ in }
            return integrator.state
        }
        let reference = try run(8 * steps.last!)
        var errors: [Double] = []
        for n in steps {
            let u = try run(n)
            errors.append(zip(u, reference).map { abs($0 - $1) }.max()! / reference.map(abs).max()!)
        }
        let orders = observedOrders(errors: errors, sizes: steps.map { 1 / Double($0) })
        let o = orders.min()!
        return VerificationOutcome(rows: [
            VerificationRow(caseName: "MMS time (TR-BDF2, fixed steps)",
                            quantity: "order of the max error (finest \(String(format: "%.2e", errors.last!)))",
                            value: o, order: o, tolerance: 1.8, isOrder: true)
        ], series: [ConvergenceSeries(name: "mms_time", resolution: steps.map { end / Double($0) }, resolutionLabel: "step (s)",
                                      errors: [("state max", errors)])])
    }
}
