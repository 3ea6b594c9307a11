import Foundation
public import IonicsConfig
import IonicsDiscretisation
import IonicsPhysics
import IonicsUnits

/// Builds a ``Device`` from a config and materials, reporting every problem with the
/// config key it comes from.
public enum DeviceBuilder {
    /// Marcus–Hush–Chidsey when a reorganisation energy is given, else Butler–Volmer.
    static func rateLaw(_ lambda: Double?) -> RateLaw {
        lambda.map { .marcusHushChidsey(reorganizationEnergy: $0) } ?? .butlerVolmer
    }

    /// `limits` bound the cells, memory, steps and output the config may ask for; they
    /// are checked before the mesh or the schedule is built.
    public static func build(
        _ config: DeviceConfig, materials library: MaterialLibrary, source: String, limits: ResourceLimits = .machine
    ) throws -> Device {
        var problems: [ConfigProblem] = []
        func report(_ path: String, _ message: String) { problems.append(ConfigProblem(path: path, message: message)) }

        // Every law below is evaluated at this temperature; a config may reach here without
        // the reader's check (e.g. `ionics plasticity --temperature`).
        if !DeviceConfig.temperatureRange.contains(config.temperature) {
            throw ConfigError(source: source, problems: [ConfigProblem(
                path: "temperature", message: "must be between 1 and 2000 K, got \(config.temperature) K")])
        }

        // Materials of every layer.
        var materials: [MaterialConfig?] = []
        for (i, l) in config.layers.enumerated() {
            if let m = library[l.material] {
                materials.append(m)
            } else {
                var message = "unknown material \"\(l.material)\""
                if let near = nearest(l.material, among: library.names) { message += "; did you mean \"\(near)\"?" }
                message += library.names.isEmpty ? " (no material files found in \(library.folders.joined(separator: ", ")))"
                    : " (known: \(library.names.joined(separator: ", ")))"
                message += "; material files are searched in the config's folder, --materials DIR, $IONICS_MATERIALS and the installed share/ionics/materials"
                report("layers[\(i)].material", message)
                materials.append(nil)
            }
        }
        if !problems.isEmpty { throw ConfigError(source: source, problems: problems) }
        let mats = materials.map { $0! }

        // Metals only at the ends.
        for (i, m) in mats.enumerated() where m.kind == .metal && i != 0 && i != mats.count - 1 {
            report("layers[\(i)].material", "\"\(m.name)\" is a metal; metals can only be the first or last layer")
        }
        let firstMetal = mats.first?.kind == .metal ? 0 : nil
        let lastMetal = mats.count > 1 && mats.last?.kind == .metal ? mats.count - 1 : nil
        let meshed = Array((firstMetal == nil ? 0 : 1)..<(lastMetal == nil ? mats.count : mats.count - 1))
        if meshed.isEmpty { report("layers", "needs at least one layer that is not a metal") }
        for (side, b, metal) in [("first", config.boundaries.first, firstMetal), ("last", config.boundaries.last, lastMetal)] {
            if let b, let m = metal {
                report(b.path, "layers[\(m)] (\"\(config.layers[m].name)\") is a metal, which already is the \(side) boundary; give one or the other")
            }
        }
        // The rest assumes metals only at the ends: stop at a stack that breaks that.
        if !problems.isEmpty { throw ConfigError(source: source, problems: problems) }
        checkInterfaces(config, materials: mats, meshed: meshed, report: report)
        let isCell = !mats.contains { $0.kind == .host }
        for i in meshed {
            let l = config.layers[i]
            if l.thickness == nil { report("layers[\(i)].thickness", "missing (\(mats[i].kind.rawValue) layers need a thickness)") }
            if mats[i].kind == .host && l.filling == nil { report("layers[\(i)].filling", "missing (the initial filling θ of the host)") }
            if mats[i].kind != .host && l.filling != nil { report("layers[\(i)].filling", "only hosts have a filling") }
        }

        // Species: every electrolyte species, host ion and metal ion, by name.
        var species: [Species] = []
        func speciesIndex(_ name: String, charge: Int, at path: String) -> Int {
            if let k = species.firstIndex(where: { $0.name == name }) {
                if species[k].charge != charge { report(path, "\"\(name)\" has charge \(charge) here but \(species[k].charge) elsewhere") }
                return k
            }
            species.append(Species(name: name, charge: charge))
            return species.count - 1
        }
        for i in meshed where mats[i].kind == .electrolyte {
            for s in mats[i].species { _ = speciesIndex(s.name, charge: s.charge, at: "layers[\(i)].material") }
            for name in config.layers[i].concentrations.keys where !mats[i].species.contains(where: { $0.name == name }) {
                report("layers[\(i)].concentrations.\(name)", "\"\(mats[i].name)\" has no species \"\(name)\"")
            }
        }
        for i in meshed where mats[i].kind == .host {
            if let ion = mats[i].ion { _ = speciesIndex(ion, charge: mats[i].ionCharge, at: "layers[\(i)].material") }
        }

        // Terminals.
        var terminalNames: [String] = []
        func terminal(_ name: String) -> Int {
            if let j = terminalNames.firstIndex(of: name) { return j }
            terminalNames.append(name)
            return terminalNames.count - 1
        }
        var defaultTerminalOf: [Int: String] = [:]
        if let f = firstMetal { defaultTerminalOf[f] = "gate" }
        if let l = lastMetal { defaultTerminalOf[l] = "drain" }
        // A host before every electrolyte is a gate reservoir; any other host is the channel.
        for i in meshed where mats[i].kind == .host {
            let electrolyteBefore = meshed.contains { $0 < i && mats[$0].kind == .electrolyte }
            let electrolyteAfter = meshed.contains { $0 > i && mats[$0].kind == .electrolyte }
            defaultTerminalOf[i] = !electrolyteBefore && electrolyteAfter ? "gate" : "source"
        }
        // Terminals in stack order: a first electrode boundary, metals and hosts, a last electrode boundary.
        func electrodeTerminal(_ b: BoundaryConfig?) -> String? { b?.kind == .electrode ? b?.terminal : nil }
        if firstMetal == nil, let name = electrodeTerminal(config.boundaries.first) { _ = terminal(name) }
        for i in mats.indices where mats[i].kind == .metal || mats[i].kind == .host {
            _ = terminal(config.layers[i].terminal ?? defaultTerminalOf[i] ?? "source")
        }
        if lastMetal == nil, let name = electrodeTerminal(config.boundaries.last) { _ = terminal(name) }
        for (i, l) in config.layers.enumerated() where l.terminal != nil && mats[i].kind != .metal && mats[i].kind != .host {
            report("layers[\(i)].terminal", "only metals and hosts connect to terminals")
        }

        // Geometry.
        // A cell without a host has no channel: without a geometry its values are per m².
        let area = config.geometry?.area ?? (isCell ? 1 : 1e-12)
        if config.geometry == nil && !isCell && config.dimension == 1 {
            report("geometry", "missing (the channel width and length set the device area and W/L)")
        }
        let lateral = lateralPlan(config, materials: mats, meshed: meshed, firstMetal: firstMetal, lastMetal: lastMetal, report: report)
        // Device totals from the discretisation's: per m² of channel (1D), per metre of depth (2D).
        let extent = config.dimension == 2 ? config.geometry?.width ?? 1 : area

        checkOverrides(config, materials: mats, report: report)
        checkElectronTransportKeys(config, materials: mats, report: report)

        // Layers.
        let T = config.temperature
        var layers: [LayerPhysics] = []
        var specs: [LayerMeshSpec] = []
        for i in meshed {
            let l = config.layers[i]
            let m = mats[i]
            let path = "layers[\(i)]"
            let thickness = l.thickness ?? 1e-9
            let eps = l.overrides["permittivity"] ?? m.permittivity
            switch m.kind {
            case .electrolyte:
                let sp = m.species.map { s in
                    SpeciesInLayer(
                        species: speciesIndex(s.name, charge: s.charge, at: path),
                        diffusivity: s.diffusivity(at: config.temperature, reference: l.overrides["diffusivity"] ?? s.diffusivity),
                        initialConcentration: l.concentrations[s.name] ?? s.concentration)
                }
                let fixed = l.overrides["fixed_charge"] ?? m.fixedCharge
                let net = sp.reduce(fixed) { $0 + Double(species[$1.species].charge) * $1.initialConcentration }
                if abs(net) > 1e-9 * max(abs(fixed), sp.map(\.initialConcentration).max() ?? 1) {
                    report("\(path).concentrations", String(format: "the electrolyte is not neutral (net charge %.4g mol/m³ of elementary charges)", net))
                }
                layers.append(LayerPhysics(name: l.name, thickness: thickness, permittivity: eps, species: sp, fixedCharge: fixed,
                                           stericSize: l.overrides["ion_size"] ?? m.ionSize))
                let lambda = debyeLength(sp, species: species, fixed: fixed, eps: eps, T: T)
                specs.append(meshSpec(l, index: i, defaultSmallest: lambda / 10, thickness: thickness, kind: m.kind, report: report))
            case .dielectric:
                layers.append(LayerPhysics(name: l.name, thickness: thickness, permittivity: eps, species: []))
                specs.append(meshSpec(l, index: i, defaultSmallest: thickness / 200, thickness: thickness, kind: m.kind, report: report))
            case .host:
                let k = speciesIndex(m.ion ?? "?", charge: m.ionCharge, at: path)
                let host = hostProperties(l, m, temperature: T, path: path, report: report)
                let (cmax, dTable) = (host.maximumConcentration, host.diffusivity)
                let filling = l.filling ?? 0.5
                let t = terminal(l.terminal ?? defaultTerminalOf[i] ?? "source")
                let sp = [SpeciesInLayer(species: k, diffusivity: dTable.y.max()!, initialConcentration: filling * cmax,
                                         lateralDiffusivityFactor: m.inPlaneDiffusivityFactor)]
                if let sc = m.semiconductor {
                    let props = SemiconductorProperties(
                        effectiveDensity: l.overrides["effective_density"] ?? sc.effectiveDensity,
                        bandOffset: l.overrides["band_offset"] ?? sc.bandOffset, doping: l.overrides["doping"] ?? sc.doping,
                        statistics: sc.statistics == "boltzmann" ? .boltzmann : .fermiDirac, terminal: t,
                        holes: sc.holes.map { .init(effectiveDensity: l.overrides["hole_effective_density"] ?? $0.effectiveDensity,
                                                    bandGap: l.overrides["band_gap"] ?? $0.bandGap) })
                    // The intercalated ions are donors: compensate them with the doping background so the
                    // layer starts neutral at the flat-band condition.
                    layers.append(LayerPhysics(name: l.name, thickness: thickness, permittivity: eps, species: sp,
                                               fixedCharge: -filling * cmax, host: host, semiconductor: props))
                } else {
                    var layer = LayerPhysics(name: l.name, thickness: thickness, permittivity: eps, electrostatics: .none,
                                             species: sp, host: host, electronTerminal: t)
                    layer.electronTransport = electronTransport(config, materials: mats, layer: i, meshed: meshed,
                                                                firstMetal: firstMetal, lastMetal: lastMetal, report: report)
                    layers.append(layer)
                }
                specs.append(meshSpec(l, index: i, defaultSmallest: thickness / 200, thickness: thickness, kind: m.kind, report: report))
            case .metal:
                break
            }
        }

        // Interfaces between meshed layers.
        var interfaces: [any InterfaceLaw] = []
        for n in 0..<max(0, meshed.count - 1) {
            let (ia, ib) = (meshed[n], meshed[n + 1])
            let (a, b) = (mats[ia], mats[ib])
            let names = (config.layers[ia].name, config.layers[ib].name)
            let override = config.interfaces.first { ($0.first == names.0 && $0.second == names.1) || ($0.first == names.1 && $0.second == names.0) }
            let path = "interfaces (\(names.0) | \(names.1))"
            if a.kind == .host && b.kind == .host {
                report("layers[\(ib)]", "two hosts cannot touch (\(names.0) | \(names.1)); put an electrolyte between them")
                interfaces.append(ContinuityInterface())
                continue
            }
            guard a.kind == .host || b.kind == .host else {
                if let law = override?.law, law != "continuity" { report(path, "only continuity is possible between \(a.kind.rawValue)s") }
                interfaces.append(ContinuityInterface())
                continue
            }
            let (host, electrolyte, electrolyteIndex) = a.kind == .host ? (a, b, ib) : (b, a, ia)
            let hostIndex = a.kind == .host ? ia : ib
            let hostLayer = config.layers[a.kind == .host ? ia : ib]
            let stern = override?.sternCapacitance ?? hostLayer.overrides["stern_capacitance"] ?? host.kinetics?.sternCapacitance
            // The host's potential of zero charge: its open-circuit potential at the initial
            // filling, so the interface starts uncharged and at equilibrium.
            let pzc: Double = {
                guard let k = meshed.firstIndex(of: hostIndex), let h = layers[k].host else { return 0 }
                let z = Double(species[layers[k].species[0].species].charge)
                let theta = layers[k].species[0].initialConcentration / h.maximumConcentration
                return h.openCircuit.evaluate(theta, thermalVoltage: PhysicalConstants.thermalVoltage(kelvin: T), charge: z == 0 ? 1 : z).value
            }()
            let law = override?.law ?? (electrolyte.kind == .electrolyte && host.kinetics != nil ? "intercalation" : "blocking")
            if law == "continuity" { report(path, "a host meets an electrolyte: use intercalation or blocking") }
            if law == "intercalation" {
                guard let ion = host.ion, let k = species.firstIndex(where: { $0.name == ion }),
                      let eSpecies = electrolyte.species.first(where: { $0.name == ion }) else {
                    report(path, "intercalation needs the host's ion \"\(host.ion ?? "?")\" in \(electrolyte.name)")
                    interfaces.append(BlockingInterface(stern: stern, pzc: pzc))
                    continue
                }
                guard let kin = host.kinetics ?? (override?.exchangeCurrent ?? hostLayer.overrides["exchange_current"] != nil ? KineticsConfig(exchangeCurrent: 0, alphaAnodic: 0.5, alphaCathodic: 0.5) : nil) else {
                    report(path, "\(host.name) has no kinetics; give exchange_current for the interface")
                    interfaces.append(BlockingInterface(stern: stern, pzc: pzc))
                    continue
                }
                let cref = kin.referenceConcentration ?? config.layers[electrolyteIndex].concentrations[ion] ?? eSpecies.concentration
                // Exchange currents are stated at the host's reference temperature (overrides too).
                interfaces.append(IntercalationInterface(stern: stern, kinetics: ButlerVolmer(
                    exchangeCurrent: (override?.exchangeCurrent ?? hostLayer.overrides["exchange_current"] ?? kin.exchangeCurrent)
                        * host.temperatureFactor("exchange_current", at: T),
                    alphaAnodic: override?.alphaAnodic ?? kin.alphaAnodic, alphaCathodic: override?.alphaCathodic ?? kin.alphaCathodic,
                    referenceConcentration: cref, law: rateLaw(override?.reorganizationEnergy ?? kin.reorganizationEnergy)),
                    species: k, pzc: pzc))
            } else {
                interfaces.append(BlockingInterface(stern: stern, pzc: pzc))
            }
        }

        // A blocking metal's potential of zero charge is the channel's (the pzc of the host
        // across the electrolyte), so that with all terminals at the same voltage the
        // device is uncharged: "no gate bias" means no field.
        var hostPZC: [Int: Double] = [:]
        for (n, law) in interfaces.enumerated() where !(law is ContinuityInterface) {
            let (ia, ib) = (meshed[n], meshed[n + 1])
            hostPZC[mats[ia].kind == .host ? ia : ib] = law.potentialOfZeroCharge
        }
        func blockingPZC(_ metal: Int) -> Double {
            let hosts = hostPZC.keys.sorted()
            let far = metal == 0 ? hosts.last : hosts.first
            return l0Override(config.layers[metal], "pzc") ?? far.flatMap { hostPZC[$0] } ?? 0
        }

        // Outer boundaries.
        func boundary(metal: Int?, layer: Int?) -> Boundary {
            guard let metal, let layer else { return .closed }
            let m = mats[metal]
            let t = terminal(config.layers[metal].terminal ?? defaultTerminalOf[metal] ?? "gate")
            guard mats[layer].kind == .electrolyte || mats[layer].kind == .dielectric else {
                // A metal on a host: an electron contact. A metal that exchanges the host's ion
                // (equilibrium potential and kinetics) takes and gives it; otherwise ions are blocked.
                if let ion = m.ion, ion == mats[layer].ion, let k = species.firstIndex(where: { $0.name == ion }),
                   let u0 = m.equilibriumPotential, let kin = m.kinetics {
                    if config.layers[layer].electronTransport == nil,
                       config.layers[layer].terminal == nil || config.layers[layer].terminal == config.layers[metal].terminal {
                        report("layers[\(layer)].terminal", "a host between a metal that exchanges \(ion) and another contact needs its own terminal (the other contact's)")
                    }
                    // The contact's double layer (the metal's Stern capacitance) holds the metal's
                    // potential at open circuit, where the transfer discharges it.
                    var b = Boundary(potential: TerminalContact(terminal: t, stern: l0Override(config.layers[metal], "stern_capacitance") ?? kin.sternCapacitance, pzc: 0))
                    b.species[k] = MetalReactionContact(kinetics: ButlerVolmer(exchangeCurrent: (l0Override(config.layers[metal], "exchange_current") ?? kin.exchangeCurrent)
                                                              * m.temperatureFactor("exchange_current", at: T),
                                                          alphaAnodic: kin.alphaAnodic, alphaCathodic: kin.alphaCathodic, referenceConcentration: 1,
                                                          law: rateLaw(kin.reorganizationEnergy)),
                                             equilibriumPotential: l0Override(config.layers[metal], "equilibrium_potential") ?? u0)
                    return b
                }
                // A film with electron transport: an ohmic electron contact that blocks ions.
                return config.layers[layer].electronTransport != nil ? Boundary(potential: TerminalContact(terminal: t, stern: nil, pzc: 0)) : .closed
            }
            let metalStern = l0Override(config.layers[metal], "stern_capacitance") ?? m.kinetics?.sternCapacitance
            var b = Boundary(potential: TerminalContact(terminal: t, stern: metalStern, pzc: blockingPZC(metal)))
            if let ion = m.ion, let k = species.firstIndex(where: { $0.name == ion }), let u0 = m.equilibriumPotential, let kin = m.kinetics {
                // A reservoir metal's potential of zero charge is its equilibrium potential (the
                // as-made contact at rest), unless stated: a `pzc` that differs starts the
                // contact out of equilibrium, and it discharges through the transfer.
                b.potential = TerminalContact(terminal: t, stern: metalStern,
                                              pzc: l0Override(config.layers[metal], "pzc") ?? l0Override(config.layers[metal], "equilibrium_potential") ?? u0)
                if let e = mats[layer].species.first(where: { $0.name == ion }) {
                    let cref = kin.referenceConcentration ?? config.layers[layer].concentrations[ion] ?? e.concentration
                    b.species[k] = MetalReactionContact(kinetics: ButlerVolmer(exchangeCurrent: (l0Override(config.layers[metal], "exchange_current") ?? kin.exchangeCurrent)
                                                              * m.temperatureFactor("exchange_current", at: T),
                                                          alphaAnodic: kin.alphaAnodic, alphaCathodic: kin.alphaCathodic, referenceConcentration: cref,
                                                          law: rateLaw(kin.reorganizationEnergy)),
                                             equilibriumPotential: l0Override(config.layers[metal], "equilibrium_potential") ?? u0)
                } else {
                    report("layers[\(metal)].material", "\(m.name) exchanges \(ion), which \(mats[layer].name) does not contain")
                }
            }
            return b
        }
        // Boundaries the config gives (`boundaries`), else from the end metals.
        func outer(_ b: BoundaryConfig?, metal: Int?, layer k: Int?) -> (Boundary, String) {
            let index = k.map { meshed[$0] }  // config index of the meshed layer at this end
            guard let b, metal == nil, let k, let i = index else {
                let label = metal.map { "metal \(mats[$0].name) (terminal \(config.layers[$0].terminal ?? defaultTerminalOf[$0] ?? "gate"))" }
                return (boundary(metal: metal, layer: index), label ?? "blocking")
            }
            let hosts = hostPZC.keys.sorted()
            let far = k == 0 ? hosts.last : hosts.first
            return configuredBoundary(b, layer: layers[k], index: i, material: mats[i], species: species, terminal: terminal,
                                      defaultPZC: far.flatMap { hostPZC[$0] } ?? 0, report: report)
        }
        let (first, firstLabel) = outer(config.boundaries.first, metal: firstMetal, layer: meshed.isEmpty ? nil : 0)
        let (last, lastLabel) = outer(config.boundaries.last, metal: lastMetal, layer: meshed.isEmpty ? nil : meshed.count - 1)
        if !meshed.isEmpty && !Self.fixesPotential(first) && !Self.fixesPotential(last)
            && !layers.contains(where: { $0.host != nil || $0.semiconductor != nil }) {
            report("boundaries", "nothing fixes the potential: give one boundary an electrode (a terminal) or a potential")
        }

        // Initial controls.
        var initial = [ControlConfig](repeating: .voltage(0), count: terminalNames.count)
        if let f = firstMetal, let j = terminalNames.firstIndex(of: config.layers[f].terminal ?? "gate") { initial[j] = .open }
        for t in config.terminals {
            if let j = terminalNames.firstIndex(of: t.name) {
                initial[j] = t.initial
            } else {
                var message = "unknown terminal \"\(t.name)\" (terminals: \(terminalNames.joined(separator: ", ")))"
                if let near = nearest(t.name, among: terminalNames) { message += "; did you mean \"\(near)\"?" }
                report("terminals.\(t.name)", message)
            }
        }
        // Sizes first: nothing below (schedule, mesh) is built for a config beyond the limits.
        let estimate = estimateResources(config, specs: specs, layers: layers, meshed: meshed, terminals: terminalNames.count,
                                         lateral: lateral, limits: limits)
        let oversize = estimate.problems(limits)
        for (key, message) in oversize { report(key, message) }
        checkGrounded(config, initial: initial, terminalNames: terminalNames, buildSchedule: oversize.isEmpty, report: report)
        if let p = config.protocolConfig, oversize.isEmpty {
            for name in Set(p.terminalNames) where !terminalNames.contains(name) {
                var message = "unknown terminal \"\(name)\" (terminals: \(terminalNames.joined(separator: ", ")))"
                if let near = nearest(name, among: terminalNames) { message += "; did you mean \"\(near)\"?" }
                report("protocol", message)
            }
            // Output times past the longest experiment would never be reached.
            let longest = Schedule.make(p, terminals: terminalNames).experiments.map(\.duration).max() ?? 0
            if let t = config.output.times.last, t > longest * (1 + 1e-12) {
                report("output.times", String(format: "the last output time, %.6g s, is after the end of the protocol (%.6g s)", t, longest))
            }
        } else if config.protocolConfig == nil {
            report("protocol", "missing (what to apply to the device)")
        }

        let readout = readoutModel(config, materials: mats, meshed: meshed, isCell: isCell, report: report)
        var problem = PNPProblem(species: species, layers: layers, first: first, last: last, temperature: T,
                                 interfaces: interfaces, terminals: terminalNames)
        problem.leakages = leakages(config, materials: mats, meshed: meshed, problem: problem, lateral: lateral, report: report)
        if problems.isEmpty {
            for issue in problem.validate() { report("layers", issue) }
        }
        if !problems.isEmpty { throw ConfigError(source: source, problems: problems) }
        let mesh = buildMesh(thicknesses: layers.map(\.thickness), specs: specs, lateral: lateral)
        return Device(
            config: config, problem: problem, mesh: mesh, materials: meshed.map { mats[$0] },
            firstMetal: firstMetal.map { mats[$0] }, lastMetal: lastMetal.map { mats[$0] }, terminalNames: terminalNames,
            initialControls: initial, area: area, extent: extent, boundaryLabels: [firstLabel, lastLabel],
            readout: readout)
    }

    static func l0Override(_ l: LayerConfig, _ key: String) -> Double? { l.overrides[key] }
}
