import Foundation
import IonicsDiscretisation
import IonicsLinearAlgebra
import IonicsPhysics
import IonicsSolvers
import IonicsVerification
import Testing

/// A potential contact law that is not in ``ContactLaws``: the problem must refuse it.
private struct UnregisteredContact: PotentialContactLaw {
    static let name = "unregistered"
    var summary: String { "not registered" }
    var metal: ContactMetal? { nil }
}

/// Contact laws are types registered in one place; the discretisation reads them as data.
@Suite("Contact laws")
struct ContactLawTests {
    @Test("the registry lists every law once, with unique names")
    func registry() {
        let potential = ContactLaws.potential.map { $0.name }
        let species = ContactLaws.species.map { $0.name }
        #expect(Set(potential).count == potential.count && potential.count == 4)
        #expect(Set(species).count == species.count && species.count == 4)
        #expect(ContactLaws.isRegistered(TerminalContact(terminal: 0, stern: nil)))
        #expect(ContactLaws.isRegistered(MetalReactionContact(kinetics: ButlerVolmer(exchangeCurrent: 1, referenceConcentration: 1), equilibriumPotential: 0)))
        #expect(!ContactLaws.isRegistered(UnregisteredContact()))
    }

    @Test("a problem refuses an unregistered law and a reaction without a metal")
    func validation() {
        var p = BlockingCell().problem(voltage: 0)
        p.first = Boundary(potential: UnregisteredContact())
        #expect(p.validate().contains { $0.contains("not registered") })
        p.first = Boundary(potential: ZeroFieldContact(),
                           species: [0: MetalReactionContact(kinetics: ButlerVolmer(exchangeCurrent: 1, referenceConcentration: 1), equilibriumPotential: 0)])
        #expect(p.validate().contains { $0.contains("needs a metal potential") })
        p.first = Boundary(potential: SternContact(capacitance: -1, potential: .constant(0)))
        #expect(p.validate().contains { $0.contains("Stern capacitance must be positive") })
    }

    @Test("a Stern contact at V and a terminal contact held at V with the same C_S are the same equations")
    func sternEqualsHeldTerminal() throws {
        let cell = BlockingCell()
        var a = cell.problem(voltage: 0)
        a.first = Boundary(potential: SternContact(capacitance: 0.2, potential: .constant(0.05)))
        var b = a
        b.first = Boundary(potential: TerminalContact(terminal: 0, stern: 0.2))
        b.terminals = ["electrode"]
        let da = try PNPDiscretisation(problem: a, mesh: cell.mesh())
        let db = try PNPDiscretisation(problem: b, mesh: cell.mesh(), circuit: [false])
        #expect(da.size == db.size)
        var u = da.initialState()
        for i in 0..<cell.cells { u[da.layout.potential[i]] = 0.3 * sin(Double(i) / 7) }
        var fa = [Double](repeating: 0, count: da.size)
        var fb = fa
        var none: SparseMatrix? = nil
        try da.evaluate(u, time: 1, f: &fa, jacobian: &none)
        try db.driven(by: Drives(controls: [.voltage(0.05)])).evaluate(u, time: 1, f: &fb, jacobian: &none)
        let scale = fa.map(abs).max()!
        for i in fa.indices { #expect(abs(fa[i] - fb[i]) <= 1e-14 * scale) }
    }

    @Test("an influx contact adds exactly j·t to the inventory of an otherwise closed cell (discrete conservation)")
    func influxConserves() throws {
        let cell = BlockingCell()
        var p = cell.problem(voltage: 0)
        let j = 1e-3  // mol/(m²·s)
        p.first = Boundary(potential: ZeroFieldContact(), species: [0: InfluxContact(influx: .constant(j))])
        // Blocking for both ions; the metal only fixes the potential's reference.
        p.last = Boundary(potential: IdealMetalContact(potential: .constant(0)))
        let d = try PNPDiscretisation(problem: p, mesh: cell.mesh())
        var options = TimeIntegratorOptions()
        options.relativeTolerance = 1e-8
        let integrator = TRBDF2Integrator(system: d, state: d.initialState(), time: 0, options: options)
        let end = 0.1 * cell.chargingTime
        try integrator.advance(to: end, breakpoints: [Breakpoint(0, discontinuous: true)]) { _ in }
        let n0 = d.inventories(d.initialState())
        let n1 = d.inventories(integrator.state)
        // Conservation to the integrator's round-off on the inventory; the influx is a visible part of it.
        #expect(j * end > 1e-4 * n0[0])
        #expect(abs((n1[0] - n0[0]) - j * end) <= 1e-10 * n0[0])
        #expect(abs(n1[1] - n0[1]) <= 1e-10 * n0[1])
    }
}
