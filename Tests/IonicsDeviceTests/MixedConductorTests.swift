import Foundation
import IonicsDevice
import IonicsDiscretisation
import IonicsPhysics
import IonicsTestSupport
import IonicsUnits
import Testing

/// Electron transport through a mixed-conducting film between two metals
/// (`layers[i].electron_transport`, ``ElectronTransport``): the film's electrons carry
/// their own current, the terminal current is ionic + electronic, and the readout is the
/// conductance of the path that current takes.
@Suite("Mixed ionic–electronic conductor between two metals")
struct MixedConductorTests {
    /// An ideal lattice-gas host (U = −V_T ln(θ/(1−θ))) with conductivity `sigma` (a JSON
    /// property) and diffusivity `diffusivity`.
    static func film(sigma: String, diffusivity: String) -> (String, String) {
        ("mixed-film", """
            {"name": "mixed-film", "kind": "host", "ion": "Li+", "permittivity": 10, "max_concentration": "2e4 mol/m^3",
             "ocv": {"standard": "0 V"}, "diffusivity": "\(diffusivity)", "conductivity": \(sigma)}
            """)
    }

    /// Pt | film (L, n cells of one tanh map, refined consistently; filling θ0) | Pt with terminals top and bottom, the
    /// top at `volts` for `duration`.
    static func cell(thickness: String = "20 nm", cells: Int = 40, filling: Double = 0.5, contacts: String = "{}",
                     volts: Double, duration: String) -> String {
        """
        {"name": "hebb-wagner", "geometry": {"width": "10 um", "length": "10 um"},
         "layers": [{"name": "top", "material": "Pt", "terminal": "top"},
                    {"name": "film", "material": "mixed-film", "thickness": "\(thickness)", "filling": \(filling), "terminal": "bottom",
                     "mesh": {"cells": \(cells), "grading": "tanh", "toward": "both", "stretch": 2}, "electron_transport": {"contact_resistance": \(contacts)}},
                    {"name": "bottom", "material": "Pt", "terminal": "bottom"}],
         "terminals": {"top": {"initial": {"voltage": "0 V"}}, "bottom": {"initial": {"voltage": "0 V"}}},
         "readout": {"mode": "vertical", "layer": "film"},
         "protocol": {"type": "segments", "segments": [{"duration": "\(duration)", "terminals": {"top": {"voltage": "\(volts) V"}}}]},
         "solver": {"relative_tolerance": 1e-8, "absolute_potential": "1e-12 V", "absolute_concentration": "1e-9 mol/m^3"}}
        """
    }

    func run(_ json: String, material: (String, String)) throws -> (Device, Simulation, Recorder) {
        try runKeepingStates(makeDevice(json, materials: [material]))
    }

    @Test("uniform σ_e with frozen ions: I = V·A/(L/σ_e + R_top + R_bottom) in every step, the readout is I/V and the bottom takes what the top gives")
    func ohmicFilm() throws {
        // D = 1e-25 m²/s: the ions' conductance is 1e-11 of the electrons'.
        let (device, _, rec) = try run(
            Self.cell(contacts: #"{"top": "0.01 ohm cm^2", "bottom": "0.002 ohm cm^2"}"#, volts: 0.1, duration: "1 ms"),
            material: Self.film(sigma: #""0.5 S/m""#, diffusivity: "1e-25 m^2/s"))
        let top = try #require(device.terminalIndex("top")), bottom = try #require(device.terminalIndex("bottom"))
        let resistance = 20e-9 / 0.5 + 1e-6 + 2e-7  // Ω·m²
        let expected = 0.1 * device.area / resistance
        let steps = rec.steps.filter { !$0.reinitialisation && $0.step > 0 }
        #expect(steps.count > 3)
        var worst = 0.0
        for s in steps {
            worst = max(worst, abs(s.terminals[top].current - expected) / expected)
            #expect(abs(s.terminals[bottom].current + s.terminals[top].current) <= 1e-9 * expected)
            #expect(abs(s.conductance - device.area / resistance) <= 1e-12 * device.area / resistance)
        }
        #expect(worst <= 1e-9, "top current off V·A/R by \(worst)")
    }

    /// θ at the cell centres of the analytic Hebb–Wagner steady state of an ideal lattice
    /// gas with uniform σ_e and ohmic contacts (R_c = 0) at V (top, y = 0) and 0: φ_n is
    /// linear, the ion's electrochemical potential ln(θ/(1−θ)) + φ_n/V_T is uniform, so
    /// θ(y) = 1/(1 + exp(φ(y)/V_T − K)) with K fixed by the film's Li, ∫θ dy = θ0·L
    /// (∫dx/(1 + e^(x−K)) = x − ln(1 + e^(x−K)), solved for K by bisection).
    static func hebbWagner(volts: Double, vt: Double, theta0: Double, centres: [Double], length: Double) -> [Double] {
        let a = volts / vt  // φ/V_T at y = 0, falling linearly to 0 at y = L
        func amount(_ k: Double) -> Double {
            // ∫0^L θ dy with x = a(1 − y/L): dy = −L/a dx.
            func primitive(_ x: Double) -> Double { x - log1p(exp(x - k)) }
            return length / a * (primitive(a) - primitive(0))
        }
        var (lo, hi) = (-50.0, 50.0)
        for _ in 0..<200 {
            let mid = 0.5 * (lo + hi)
            if amount(mid) < theta0 * length { lo = mid } else { hi = mid }
        }
        let k = 0.5 * (lo + hi)
        return centres.map { 1 / (1 + exp(a * (1 - $0 / length) - k)) }
    }

    @Test("Hebb–Wagner steady state (ion-blocking, electron-ohmic contacts): θ(y) matches the analytic profile at second order, the ion's electrochemical potential is uniform and I·ΣR = V")
    func hebbWagnerSteadyState() throws {
        let volts = 0.0514  // ≈ 2 V_T
        var errors: [Double] = []
        for cells in [20, 40, 80] {
            let (device, sim, rec) = try run(
                Self.cell(cells: cells, filling: 0.4, volts: volts, duration: "2 s"),
                material: Self.film(sigma: #""0.05 S/m""#, diffusivity: "1e-15 m^2/s"))
            let d = sim.discretisation
            let u = try #require(rec.states.last)
            let film = try #require(device.readout.channelLayer)
            let range = d.mesh.cells(inLayer: film)
            let theta = d.filling(u)
            let phi = d.electronPotential(u)
            let vt = PhysicalConstants.thermalVoltage(kelvin: device.problem.temperature)
            // Zero ion flux everywhere: ln(θ/(1−θ)) + φ_n/V_T is one number.
            let mu = range.map { log(theta[$0] / (1 - theta[$0])) + phi[$0] / vt }
            #expect(mu.max()! - mu.min()! <= 1e-7, "electrochemical potential spread \(mu.max()! - mu.min()!)")
            // The current is all electronic: I = V·G with G the readout (A/Σ Δy/σ_e).
            let last = rec.steps.last!
            let g = last.conductance
            #expect(abs(last.terminals[0].current - volts * g) <= 1e-7 * volts * g)
            let centres = range.map { d.mesh.cells[$0].centre }
            let exact = Self.hebbWagner(volts: volts, vt: vt, theta0: 0.4, centres: centres, length: 20e-9)
            errors.append(zip(range, exact).map { abs(theta[$0] - $1) }.max()!)
        }
        // (θ0 = 0.4: at 0.5 the profile is symmetric and the discrete one exact.)
        #expect(errors[2] < 1e-4, "errors \(errors)")
        let orders = zip(errors, errors.dropFirst()).map { log2($0 / $1) }
        #expect(orders.allSatisfy { $0 >= 1.9 }, "observed orders \(orders), errors \(errors)")
    }
}

/// Runs `device`, recording every step and its state.
func runKeepingStates(_ device: Device) throws -> (Device, Simulation, Recorder) {
    let sim = try Simulation(device: device)
    let rec = Recorder()
    rec.keepStates = true
    _ = try sim.run(observer: rec)
    return (device, sim, rec)
}

/// The two-terminal Au | LixCoO2 | Pt cell (ref. 92) with electron transport through the film, on
/// the earlier lumped scenario (`configs/examples/baek2023-lumped.json`: x = 0.6, the fitted σ(θ) table).
@Suite("Two-terminal cell with electron transport")
struct TwoTerminalElectronTransportTests {
    static func baek(_ extra: [String]) throws -> (Device, Simulation, Recorder) {
        let text = try String(contentsOfFile: repositoryRoot() + "/configs/examples/baek2023-lumped.json", encoding: .utf8)
        return try runKeepingStates(makeDevice(text, overrides: ["protocol.pulses=2"] + extra))
    }

    @Test("Kirchhoff and Faraday: the cell stores no charge (top + bottom = 0 every step), Li is conserved, and the write energy is ∫V·I dt of the whole current, ≈ V²·G·t since the electrons carry almost all of it")
    func conservationAndEnergy() throws {
        let (device, _, rec) = try Self.baek([
            #"layers[1].electron_transport={"contact_resistance": {"top": "3 ohm cm^2"}}"#,
        ])
        let top = try #require(device.terminalIndex("top")), bottom = try #require(device.terminalIndex("bottom"))
        let steps = rec.steps.filter { !$0.reinitialisation && $0.step > 0 }
        let scale = steps.map { abs($0.terminals[top].charge) }.max()!
        let peak = steps.map { abs($0.terminals[top].current) }.max()!
        #expect(scale > 0 && peak > 0)
        for s in steps {
            #expect(abs(s.terminals[top].charge + s.terminals[bottom].charge) <= 1e-9 * scale)
            #expect(s.inventoryError <= 1e-9)
            // The same current through every cut of the film (ionic + electronic), to 1e-9 of the write current.
            #expect(s.currentSpreadAbsolute <= 1e-9 * peak, "cut currents differ by \(s.currentSpreadAbsolute) A at t = \(s.time)")
        }
        #expect(rec.pulses.count == 4)
        for p in rec.pulses {
            // With electron transport the electronic current is in the terminal current:
            // no post-processed read energy on top of it.
            #expect(p.readEnergy == 0)
            #expect(p.energy > 0)
        }
        // Joule: during each pulse V·I ≈ V²·G (the ions carry < 1 % of the current).
        var joule = 0.0, work = 0.0
        for s in steps where abs(s.terminals[top].voltage) > 1 {
            let v = s.terminals[top].voltage - s.terminals[bottom].voltage
            joule += v * v * s.conductance * s.step
            work += s.terminals[top].energy + s.terminals[bottom].energy
        }
        #expect(joule > 0 && abs(work - joule) <= 0.02 * joule, "work \(work) J vs V²Gt \(joule) J")
    }

    @Test("an electron-blocking top contact keeps the top terminal's current purely ionic (the Li transfer), and nothing can be read through it (G = 0)")
    func blockingTop() throws {
        let (device, sim, rec) = try Self.baek([#"layers[1].electron_transport={"contact_resistance": {"top": "blocking"}}"#])
        let top = try #require(device.terminalIndex("top"))
        let film = try #require(device.readout.channelLayer)
        let d = sim.discretisation
        let qTop = rec.steps.reduce(0) { $0 + $1.terminals[top].charge }
        let ions0 = d.inventory(sim.initialState, layer: film)[0] * device.area
        let ions1 = d.inventory(rec.states.last!, layer: film)[0] * device.area
        // Every coulomb through the top is Li entering (or leaving) the film.
        let transferred = PhysicalConstants.faraday * (ions1 - ions0)
        #expect(abs(transferred) > 0)
        #expect(abs(transferred - qTop) <= 1e-6 * rec.pulses.map { abs($0.charge) }.reduce(0, +), "zFΔN \(transferred) C vs top \(qTop) C")
        #expect(rec.steps.allSatisfy { $0.conductance == 0 })
    }

    @Test("an open top terminal at the start: the equilibrium keeps the current balance of a terminal that stores no charge, and the run holds I_top = 0")
    func openAtStart() throws {
        let text = try String(contentsOfFile: repositoryRoot() + "/configs/examples/baek2023-electron-transport.json", encoding: .utf8)
        let device = try makeDevice(text, overrides: ["protocol.pulses=1", #"terminals.top.initial="open""#])
        let rec = Recorder()
        _ = try Simulation(device: device).run(observer: rec)
        let top = try #require(device.terminalIndex("top"))
        #expect(rec.pulses.count == 2)
        // Before the first pulse the open terminal passes no current.
        let before = rec.steps.filter { $0.time < rec.pulses[0].start && $0.step > 0 }
        #expect(!before.isEmpty)
        let scale = abs(rec.pulses[0].charge) / (rec.pulses[0].end - rec.pulses[0].start)
        #expect(before.allSatisfy { abs($0.terminals[top].current) <= 1e-9 * scale })
    }

    @Test("the lumped fit's σ(θ) as the film's electronic conductivity: the writes polarise the film until its Au-side cell is full, and the failure says so")
    func saturationIsNamed() throws {
        let text = try String(contentsOfFile: repositoryRoot() + "/configs/examples/baek2023-lumped.json", encoding: .utf8)
        let device = try makeDevice(text, overrides: [#"layers[1].electron_transport={}"#])
        do {
            _ = try Simulation(device: device).run()
            Issue.record("the run was expected to stop at the saturated cell")
        } catch let e as SimulationError {
            #expect(e.description.contains("hint: host layer film is full"), "\(e.description)")
            #expect(e.time > 0.1 && e.time < 0.2, "after two or three pulses: t = \(e.time) s")
            // Potentiation pulses lowered G (Li drifts to the Au) before it stopped.
            let pulses = e.partial.flatMap(\.pulses)
            #expect(pulses.count >= 2 && pulses.allSatisfy { $0.conductanceAfter < $0.conductanceBefore })
        }
    }

    @Test("electron_transport is refused by key where it cannot apply")
    func refusedByKey() throws {
        let text = try String(contentsOfFile: repositoryRoot() + "/configs/examples/baek2023-lumped.json", encoding: .utf8)
        func paths(_ overrides: [String]) -> [String] { buildProblems(text, overrides: overrides).map(\.path) }
        #expect(paths([#"layers[1].electron_transport={"contact_resistance": {"gate": "1 ohm cm^2"}}"#])
            .contains("layers[1].electron_transport.contact_resistance.gate"))
        #expect(paths([#"layers[1].electron_transport={"contact_resistance": {"top": "blocking", "bottom": "blocking"}}"#])
            .contains("layers[1].electron_transport.contact_resistance"))
        #expect(paths([#"layers[1].electron_transport={"contact_resistance": {"top": "5 ohm"}}"#])
            .contains("layers[1].electron_transport.contact_resistance.top"))
        #expect(paths([#"layers[1].electron_transport={"contact_resistance": {"top": "-1 ohm m^2"}}"#])
            .contains("layers[1].electron_transport.contact_resistance.top"))
        #expect(paths([#"layers[1].electron_transport={}"#, "dimension=2", #"lateral={"cells": 3}"#]).contains("layers[1].electron_transport"))
        #expect(paths([#"layers[1].electron_transport={}"#, "layers[2].terminal=top"]).contains("layers[1].electron_transport"))
        #expect(paths([#"layers[1].electron_transport={}"#, "layers[1].terminal=film"]).contains("layers[1].terminal"))
        // Pt exchanges no Li: blocking its electrons would leave it connected to nothing.
        #expect(paths([#"layers[1].electron_transport={"contact_resistance": {"bottom": "blocking"}}"#])
            .contains("layers[1].electron_transport.contact_resistance.bottom"))
        // Not a neutral host between two metals: the default three-terminal device.
        let device = try defaultConfigText()
        let problems = buildProblems(device, overrides: [#"layers[1].electron_transport={}"#]).map(\.path)
        #expect(problems.contains("layers[1].electron_transport"), "\(problems)")
        let host = buildProblems(device, overrides: [#"layers[2].electron_transport={}"#]).map(\.path)
        #expect(host.contains("layers[2].electron_transport"), "\(host)")
    }
}
