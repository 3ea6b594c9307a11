import Foundation
import IonicsDiscretisation
import IonicsLinearAlgebra
import IonicsPhysics
import IonicsSolvers
import IonicsVerification
import Testing

/// Circuit unknowns (a terminal's potential and electrode charge) only for terminals driven
/// by current or left open: a terminal held at a voltage carries its potential in the
/// drives. The equations must be the same either way, and conservation must hold.
@Suite("Circuit unknowns only where needed")
struct CircuitLayoutTests {
    /// The blocking cell (Bazant, Thornton & Ajdari 2004) with its electrodes at terminals
    /// "left" and "right", each behind a Stern layer.
    static func cell() -> (PNPProblem, Mesh, BlockingCell) {
        var c = BlockingCell()
        c.halfWidth = 20
        c.cells = 80
        var p = c.problem(voltage: 0)
        p.first = Boundary(potential: TerminalContact(terminal: 0, stern: 0.2))
        p.last = Boundary(potential: TerminalContact(terminal: 1, stern: 0.3))
        p.terminals = ["left", "right"]
        return (p, c.mesh(), c)
    }

    /// ∫ρ dy over the cell, C/m².
    static func diffuseCharge(_ d: PNPDiscretisation, _ u: [Double], drives: Drives) -> Double {
        zip(d.chargeDensity(u, drives: drives), d.mesh.cellVolume).reduce(0) { $0 + $1.0 * $1.1 }
    }

    @Test("voltage-held terminals get no unknowns; the band rows' residual and Jacobian are those of the full layout")
    func sameEquations() throws {
        let (p, mesh, c) = Self.cell()
        let full = try PNPDiscretisation(problem: p, mesh: mesh)
        let reduced = try PNPDiscretisation(problem: p, mesh: mesh, circuit: [false, false])
        #expect(full.layout.globalCount == 4 && reduced.layout.globalCount == 0)
        #expect(full.layout.bandSize == reduced.layout.bandSize && reduced.size == full.size - 4)
        #expect(reduced.sparsity.borderCount == 0)
        let drives = Drives(controls: [.voltage(3 * c.vt), .voltage(-c.vt)])
        // A non-equilibrium state; the full layout's terminal unknowns at the drives' values.
        var ur = reduced.initialState()
        for i in 0..<mesh.cellCount {
            let y = mesh.cellCentroid[i].y / (2 * c.halfWidth * c.lambda)
            ur[reduced.layout.potential[i]] = 2 * sin(3 * y)
            ur[reduced.layout.concentration(i, 0)] *= 1 + 0.2 * y
        }
        var uf = ur + [Double](repeating: 0, count: 4)
        uf[full.layout.terminalPotential(0)!] = 3
        uf[full.layout.terminalPotential(1)!] = -1
        func evaluate(_ s: DrivenPNP, _ u: [Double]) throws -> ([Double], SparseMatrix) {
            var f = [Double](repeating: 0, count: s.size)
            var j: SparseMatrix? = SparseMatrix(pattern: s.sparsity)
            try s.evaluate(u, time: 0.1, f: &f, jacobian: &j)
            return (f, j!)
        }
        let (ff, jf) = try evaluate(full.driven(by: drives), uf)
        let (fr, jr) = try evaluate(reduced.driven(by: drives), ur)
        let n = reduced.layout.bandSize
        let scale = ff[0..<n].map(abs).max()!
        for i in 0..<n { #expect(abs(ff[i] - fr[i]) <= 1e-13 * scale, "row \(i)") }
        var worst = 0.0
        for i in 0..<n {
            for k in max(0, i - 6)...min(n - 1, i + 6) { worst = max(worst, abs(jf[i, k] - jr[i, k])) }
        }
        #expect(worst <= 1e-13 * scale)
        // The charge the state determines is the value of the full layout's charge row.
        var consistent = uf
        for j in 0..<2 { let rq = full.layout.terminalCharge(j)!; consistent[rq] -= ff[rq] }
        for j in 0..<2 {
            let sigma = reduced.terminalState(ur, j, time: 0.1, drives: drives).charge
            let sigmaFull = full.terminalState(consistent, j).charge
            #expect(abs(sigma - sigmaFull) <= 1e-12 * abs(sigma), "terminal \(j)")
        }
    }

    /// Charges a blocking cell at fixed steps under both layouts.
    func charge(_ d: PNPDiscretisation, controls: [TerminalControl], steps: Int, step: Double)
        throws -> (states: [[Double]], drives: Drives)
    {
        let drives = Drives(controls: controls, segment: 1)
        var options = TimeIntegratorOptions()
        options.fixedStep = step
        options.relativeTolerance = 1e-10
        options.absolutePotential = 1e-12
        options.absoluteDensity = 1e-12
        options.newtonMaxIterations = 30
        let integrator = TRBDF2Integrator(system: d.driven(by: drives), state: d.initialState(), time: 0, options: options)
        var states: [[Double]] = []
        try integrator.advance(to: Double(steps) * step, breakpoints: [Breakpoint(0, discontinuous: true)]) { record in
            if record.kind == .step { states.append(record.after) }
        }
        return (states, drives)
    }

    @Test("a voltage step charges the cell as with the full layout (fields and charges to 1e-10); Gauss holds")
    func voltageCharging() throws {
        let (p, mesh, c) = Self.cell()
        let full = try PNPDiscretisation(problem: p, mesh: mesh)
        let reduced = try PNPDiscretisation(problem: p, mesh: mesh, circuit: [false, false])
        let controls: [TerminalControl] = [.voltage(2 * c.vt), .voltage(-2 * c.vt)]
        let h = 0.05 * c.chargingTime
        let (sf, drives) = try charge(full, controls: controls, steps: 40, step: h)
        let (sr, _) = try charge(reduced, controls: controls, steps: 40, step: h)
        #expect(sf.count == 40 && sr.count == 40)
        let n = reduced.layout.bandSize
        for (a, b) in zip(sf, sr) {
            let phiScale = a[0..<n].map(abs).max()!
            for i in 0..<n { #expect(abs(a[i] - b[i]) <= 1e-10 * max(phiScale, 1)) }
            for j in 0..<2 {
                let qf = full.terminalState(a, j).charge
                let qr = reduced.terminalState(b, j, drives: drives).charge
                #expect(abs(qf - qr) <= 1e-10 * abs(qf), "terminal \(j): \(qf) vs \(qr)")
            }
            // Gauss over the closed cell: the electrode charges balance the diffuse charge.
            let (ql, qr) = (reduced.terminalState(b, 0, drives: drives).charge, reduced.terminalState(b, 1, drives: drives).charge)
            let rho = Self.diffuseCharge(reduced, b, drives: drives)
            #expect(abs(ql + qr + rho) <= 1e-9 * abs(ql))
        }
        // The cell charged: the left electrode holds a positive charge.
        #expect(reduced.terminalState(sr.last!, 0, drives: drives).charge > 0)
    }

    @Test("a current-driven electrode keeps its unknowns: its charge rises as i·t; the held one balances it")
    func currentControl() throws {
        let (p, mesh, c) = Self.cell()
        let d = try PNPDiscretisation(problem: p, mesh: mesh, circuit: [true, false])
        #expect(d.layout.globalCount == 2 && d.layout.terminalPotential(1) == nil)
        // i puts about ε/λ_D·V_T (a thermal voltage across the diffuse layer) on the electrode in 30 steps.
        let i = 1e3
        let h = 0.02 * c.chargingTime
        let (states, drives) = try charge(d, controls: [.currentDensity(i), .voltage(0)], steps: 30, step: h)
        let q0 = d.terminalState(d.initialState(), 0, drives: drives).charge
        for (k, u) in states.enumerated() {
            let t = Double(k + 1) * h
            let ql = d.terminalState(u, 0, drives: drives).charge
            #expect(abs(ql - q0 - i * t) <= 1e-8 * i * t, "step \(k)")
            let qr = d.terminalState(u, 1, drives: drives).charge
            #expect(abs(ql + qr + Self.diffuseCharge(d, u, drives: drives)) <= 1e-9 * abs(ql))
        }
    }
}
