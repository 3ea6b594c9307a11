import Foundation
import IonicsConfig
import IonicsDiscretisation
import IonicsPhysics

/// Checks of a config that need the stack: overrides that apply to their material,
/// interfaces that name real neighbours, a terminal that holds the potential, and the
/// resources the run will need.
extension DeviceBuilder {
    /// The per-layer `overrides` each kind of material uses.
    static let applicableOverrides: [MaterialConfig.Kind: Set<String>] = [
        .metal: ["equilibrium_potential", "exchange_current", "stern_capacitance", "pzc"],
        .electrolyte: ["permittivity", "diffusivity", "fixed_charge", "ion_size", "electronic_conductivity"],
        .dielectric: ["permittivity"],
        .host: ["permittivity", "diffusivity", "max_concentration", "standard_potential", "interaction",
                "stern_capacitance", "exchange_current", "doping", "band_offset", "effective_density", "band_gap",
                "hole_effective_density"],
    ]

    /// Every override applies to its layer's material: to its kind, and the electron and
    /// hole keys only to a semiconductor host (with holes). Any other is an error rather
    /// than silently ignored.
    static func checkOverrides(_ config: DeviceConfig, materials mats: [MaterialConfig], report: (String, String) -> Void) {
        for (i, l) in config.layers.enumerated() where i < mats.count {
            let m = mats[i]
            guard let keys = applicableOverrides[m.kind] else { continue }
            for key in l.overrides.keys.sorted() {
                let at = "layers[\(i)].overrides.\(key)"
                if !keys.contains(key) {
                    report(at, "does not apply to a \(m.kind.rawValue) (\(m.name)); it takes: \(keys.sorted().joined(separator: ", "))")
                } else if ["doping", "band_offset", "effective_density"].contains(key) && m.semiconductor == nil {
                    report(at, "only for a semiconductor host; \(m.name) is not one")
                } else if ["band_gap", "hole_effective_density"].contains(key) && m.semiconductor?.holes == nil {
                    report(at, "only for a semiconductor host with holes (electrons.holes); \(m.name) has none")
                }
            }
        }
    }

    /// Every `interfaces[k].between` names two existing, neighbouring, meshed layers,
    /// and no pair is given twice (otherwise the entry would be ignored silently).
    static func checkInterfaces(
        _ config: DeviceConfig, materials mats: [MaterialConfig], meshed: [Int], report: (String, String) -> Void
    ) {
        let names = config.layers.map(\.name)
        let stack = names.joined(separator: " | ")
        var seen: [Set<String>: String] = [:]
        for itf in config.interfaces {
            let between = itf.path + ".between"
            var known = true
            for (k, name) in [itf.first, itf.second].enumerated() where !names.contains(name) {
                var message = "no layer named \"\(name)\" (the stack: \(stack))"
                if let near = nearest(name, among: names) { message += "; did you mean \"\(near)\"?" }
                report("\(between)[\(k)]", message)
                known = false
            }
            guard known else { continue }
            if itf.first == itf.second {
                report(between, "names \"\(itf.first)\" twice; an interface is between two neighbouring layers")
                continue
            }
            let (i, j) = (names.firstIndex(of: itf.first)!, names.firstIndex(of: itf.second)!)
            if let metal = [i, j].first(where: { mats[$0].kind == .metal }) {
                report(between, "\"\(names[metal])\" is a metal, a boundary of the stack rather than a layer with an interface; "
                       + "set its kinetics in layers[\(metal)].overrides (exchange_current, stern_capacitance)")
                continue
            }
            if let a = meshed.firstIndex(of: i), let b = meshed.firstIndex(of: j), abs(a - b) != 1 {
                report(between, "\"\(itf.first)\" and \"\(itf.second)\" do not touch (the stack: \(stack)); an interface is between neighbouring layers")
                continue
            }
            let pair: Set<String> = [itf.first, itf.second]
            if let earlier = seen[pair] {
                report(between, "the same pair as \(earlier); give each interface once")
            }
            seen[pair] = itf.path
        }
    }

    /// Some terminal must hold a voltage initially and in every segment of the protocol,
    /// or the device's potential floats (the simulation would refuse it at that point).
    static func checkGrounded(
        _ config: DeviceConfig, initial: [ControlConfig], terminalNames: [String], buildSchedule: Bool, report: (String, String) -> Void
    ) {
        func holds(_ c: ControlConfig) -> Bool { if case .voltage = c { return true }; return false }
        guard !initial.isEmpty else { return }
        if !initial.contains(where: holds) {
            report("terminals", "no terminal holds a voltage initially (\(terminalNames.joined(separator: ", ")) are all open or current-controlled), "
                   + "so the device's potential floats; hold one at a voltage, e.g. \"initial\": {\"voltage\": \"0 V\"}")
            return
        }
        guard buildSchedule, let p = config.protocolConfig, Set(p.terminalNames).isSubset(of: terminalNames) else { return }
        for experiment in Schedule.make(p, terminals: terminalNames).experiments {
            var controls = initial
            for segment in experiment.segments {
                for (j, c) in segment.controls where j < controls.count { controls[j] = c }
                if !controls.contains(where: holds) {
                    report("protocol", "no terminal holds a voltage during \"\(segment.label)\" of \"\(experiment.name)\" (all are open or current-controlled), "
                           + "so the device's potential floats; hold another terminal at a voltage")
                    return
                }
            }
        }
    }

    /// Cells, unknowns, memory, steps and output of the run, from the config and the
    /// layers' mesh specs, without building the mesh or the schedule.
    static func estimateResources(
        _ config: DeviceConfig, specs: [LayerMeshSpec], layers: [LayerPhysics], meshed: [Int], terminals: Int,
        lateral: LateralPlan? = nil, limits: ResourceLimits
    ) -> ResourceEstimate {
        var e = ResourceEstimate()
        let cap = min(limits.maxCells, Int.max / 4) + 1
        // A 2D cross-section: every row of the stack has this many cells.
        let columns = Double(lateral.map { $0.cellCount(limit: cap) ?? cap } ?? 1)
        var largest = (cells: -1, key: "layers")
        var cells = 0.0
        var unknowns = Double(terminals)
        var perCell = 1.0
        for (k, spec) in specs.enumerated() where k < layers.count && k < meshed.count {
            let i = meshed[k]
            let counted = spec.cellCount(thickness: layers[k].thickness, limit: cap)
            if counted == nil { e.cellsCapped = true }
            let n = Int(min(Double(counted ?? cap) * columns, Double(cap)))
            if Double(counted ?? cap) * columns >= Double(cap) { e.cellsCapped = true }
            let l = config.layers[i]
            var key = "layers[\(i)].thickness"
            if l.meshGiven {
                let mesh = l.mesh
                let fallback = "layers[\(i)].mesh"
                let name = mesh.faces != nil ? "faces" : (mesh.origins["max_cell"] != nil ? "max_cell" : "cells")
                key = mesh.origin(name, fallback: fallback).path
            }
            if let problem = spec.problem(thickness: layers[k].thickness) {
                let mesh = l.mesh
                let name = mesh.faces != nil ? "faces" : mesh.origins["stretch"] != nil ? "stretch" : mesh.origins["smallest"] != nil ? "smallest" : "cells"
                e.meshProblems.append((l.meshGiven ? mesh.origin(name, fallback: "layers[\(i)].mesh").path : key, "layer \"\(l.name)\": \(problem)"))
            }
            // The lateral columns, not this layer's rows, made it too many.
            if lateral != nil, (counted ?? cap) < cap, Double(counted ?? cap) * columns >= Double(cap) { key = "lateral" }
            if n > largest.cells { largest = (n, key) }
            cells += Double(n)
            let fields = 1.0 + Double(layers[k].species.count) + (layers[k].semiconductor != nil ? 1 : 0)
            unknowns += Double(n) * fields
            perCell = max(perCell, fields)
        }
        e.cells = cells < Double(Int.max / 4) ? Int(cells) : Int.max / 4
        e.unknowns = unknowns < Double(Int.max / 4) ? Int(unknowns) : Int.max / 4
        e.cellsKey = largest.key
        let species = Double(Set(layers.flatMap { $0.species.map(\.species) }).count)

        // Schedule: segments, duration and the steps they take at least.
        let extent = config.protocolConfig?.extent(path: config.protocolKeyPath)
            ?? ScheduleExtent(segments: 0, duration: 0, experiments: 0, segmentsKey: config.protocolKeyPath)
        e.segments = extent.segments
        e.segmentsKey = extent.segmentsKey
        let byMaximumStep = config.solver.maximumStep.map { extent.duration / $0 } ?? 0
        let bySnapshots = config.output.fieldsEvery.map { extent.duration / $0 } ?? 0
        let bySegments = 4 * extent.segments
        e.steps = max(bySegments, byMaximumStep, bySnapshots)
        e.stepsKey = byMaximumStep >= max(bySegments, bySnapshots) && byMaximumStep > 0 ? "solver.maximum_step"
            : bySnapshots >= bySegments && bySnapshots > 0 ? "output.fields_every" : extent.segmentsKey

        // Output: the per-step series, and the field snapshots (reads, output times, fields_every).
        let perStep = 8 * (11 + 6 * Double(terminals))
        let snapshotBytes = 8 * cells * (7 + species)
        let atReads = config.output.fieldsAtReads ? extent.segments / 2 : 0
        let atTimes = Double(config.output.times.count) * extent.experiments
        e.outputBytes = e.steps * perStep + (atReads + atTimes + bySnapshots) * snapshotBytes
        e.outputKey = bySnapshots >= max(atReads, atTimes) && bySnapshots > 0 ? "output.fields_every"
            : e.steps * perStep > (atReads + atTimes) * snapshotBytes ? e.stepsKey
            : atReads >= atTimes ? extent.segmentsKey : "output.times"

        // Memory: the solver's per unknown (more per unknown for wider blocks), and the schedule's.
        // 2D factors fill in like n·log n (nested-dissection-like orderings): measured
        // 9.5 kB per unknown at 44k unknowns (UMFPACK, the 2D example refined), which
        // 4 + log2(n/1e4) times the 1D figure covers with margin.
        let fill = lateral == nil ? 1 : 4 + log2(max(unknowns, 1e4) / 1e4)
        e.memory = ResourceEstimate.baseMemory + unknowns * ResourceEstimate.bytesPerUnknown * max(1, perCell / 3) * fill
            + extent.segments * ResourceEstimate.bytesPerSegment
        return e
    }
}
