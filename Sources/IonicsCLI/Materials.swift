import ArgumentParser
import Foundation
import IonicsConfig

struct Materials: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the material files, or show one with the provenance of its numbers.",
        subcommands: [List.self, Show.self], defaultSubcommand: List.self)

    struct Options: ParsableArguments {
        @Option(help: "Folder of material files (default: configs/materials and $IONICS_MATERIALS).")
        var folder: [String] = []

        var library: MaterialLibrary {
            MaterialLibrary(folders: folder + MaterialLibrary.searchFolders(configPath: nil, extra: []))
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the materials Ionics can find.")
        @OptionGroup var options: Options

        func run() throws {
            let lib = options.library
            for p in lib.problems { printError("warning: \(p)") }
            if lib.names.isEmpty {
                printError("no material files found in \(lib.folders.joined(separator: ", "))")
                throw ExitCode(1)
            }
            for name in lib.names {
                let m = lib[name]!
                print("\(name.padding(toLength: 16, withPad: " ", startingAt: 0)) \(m.kind.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0)) \(m.description)")
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one material: its values and where they come from.")
        @OptionGroup var options: Options
        @Argument(help: "Material name.") var name: String

        func run() throws {
            let lib = options.library
            guard let m = lib[name] else {
                var message = "error: unknown material \"\(name)\""
                if let near = nearest(name, among: lib.names) { message += "; did you mean \"\(near)\"?" }
                printError(message)
                throw ExitCode(1)
            }
            print("\(m.name) (\(m.kind.rawValue)) — \(m.source)")
            print(m.description)
            print("permittivity \(m.permittivity)")
            for s in m.species {
                print("species \(s.name): charge \(s.charge), \(s.concentration) mol/m³, D = \(s.diffusivity) m²/s")
            }
            if m.fixedCharge != 0 { print("fixed charge \(m.fixedCharge) mol/m³") }
            if let a = m.ionSize { print("ion size \(a) m") }
            if m.kind == .host {
                print("ion \(m.ion ?? "?"), c_max \(m.maxConcentration) mol/m³")
                print("U(θ) = \(m.standardPotential) V − (V_T/z) ln(θ/(1−θ)) − \(m.interaction) V·θ" + (m.excessPotential != nil ? " + table" : ""))
                print("D(θ): \(describe(m.diffusivity)) m²/s")
                if let s = m.conductivity { print("σ(θ): \(describe(s)) S/m") }
                if let sc = m.semiconductor {
                    print("semiconductor: N_c \(sc.effectiveDensity) m⁻³, ΔE_c \(sc.bandOffset) eV, N_d \(sc.doping) m⁻³, \(sc.statistics); μ_n(θ): \(describe(sc.mobility)) m²/(V s)")
                    if let h = sc.holes {
                        print("holes: N_v \(h.effectiveDensity) m⁻³, E_g \(h.bandGap) eV; μ_p(θ): \(describe(h.mobility)) m²/(V s)")
                    }
                }
            }
            if let u = m.equilibriumPotential { print("equilibrium potential \(u) V (ion \(m.ion ?? "?"))") }
            if let k = m.kinetics {
                print("kinetics: i0 \(k.exchangeCurrent) A/m², α_a \(k.alphaAnodic), α_c \(k.alphaCathodic)"
                      + (k.sternCapacitance.map { ", Stern \($0) F/m²" } ?? ""))
            }
            if !m.provenance.isEmpty {
                print("provenance:")
                for (k, v) in m.provenance.sorted(by: { $0.key < $1.key }) { print("  \(k): \(v)") }
            }
            for r in m.references { print("reference: \(r)") }
        }

        func describe(_ p: PropertyConfig) -> String {
            switch p {
            case .constant(let v): return "\(v)"
            case .table(let t): return zip(t.filling, t.values).map { "θ=\($0): \(String(format: "%.3g", $1))" }.joined(separator: ", ")
            }
        }
    }
}
