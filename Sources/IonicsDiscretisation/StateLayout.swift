import IonicsUnits
public import IonicsPhysics
public import IonicsSolvers
public import IonicsLinearAlgebra

/// Where each unknown lives in the state vector: for every cell the potential (if the
/// layer solves Poisson) and then one concentration per species of the layer, cell
/// after cell; global unknowns follow the cells (they form the border of the Jacobian).
///
/// Circuit unknowns (a terminal's potential and electrode charge) exist only for the
/// terminals that some stretch of the run drives by current or leaves open
/// (``circuit``): a terminal held at a voltage throughout has its potential as drive
/// data (``PNPDiscretisation/terminalVoltage(_:_:time:drives:)``) and its electrode
/// charge as a function of the state (``PNPDiscretisation/terminalCharge(_:_:time:drives:)``),
/// so it adds no row and no dense column to the Jacobian.
public struct StateLayout: Sendable {
    public let cellCount: Int
    /// Index of cell i's potential, or −1.
    public let potential: [Int]
    /// Index of cell i's first concentration.
    public let firstSpecies: [Int]
    /// Index of cell i's electron potential φ_n (a mixed-conducting host,
    /// ``ElectronTransport``; after the cell's concentrations), or −1.
    public let electron: [Int]
    /// Species indices (into the problem's species) of the slots of each layer.
    public let layerSpecies: [[Int]]
    public let cellLayer: [Int]
    public let bandSize: Int
    /// All global unknowns: two per circuit terminal (potential, electrode charge), then extras.
    public let globalCount: Int
    public let terminalCount: Int
    /// Per terminal: whether it has circuit unknowns.
    public let circuit: [Bool]
    /// The terminals with circuit unknowns, in the order of their unknowns.
    public let circuitTerminals: [Int]
    /// Per terminal: its position in ``circuitTerminals``, or −1.
    let circuitSlot: [Int]
    public let kinds: [UnknownKind]

    public var size: Int { bandSize + globalCount }

    /// - Parameter extraGlobals: global unknowns after the terminals' (e.g. the
    ///   electrochemical potentials of an equilibrium solve).
    ///   `concentrationScale` is c0 (mol/m³), for the hosts' upper bounds.
    ///   `circuit`: per terminal, whether it gets circuit unknowns (nil: every terminal,
    ///   which any drives can use).
    public init(mesh: Mesh, problem: PNPProblem, concentrationScale: Double, extraGlobals: Int = 0, circuit: [Bool]? = nil) {
        precondition(circuit == nil || circuit!.count == problem.terminals.count, "one circuit flag per terminal")
        cellCount = mesh.cellCount
        layerSpecies = problem.layers.map { $0.species.map(\.species) }
        cellLayer = mesh.cells.map(\.layer)
        var pot = [Int](repeating: -1, count: mesh.cellCount)
        var first = [Int](repeating: 0, count: mesh.cellCount)
        var electron = [Int](repeating: -1, count: mesh.cellCount)
        var kinds: [UnknownKind] = []
        var next = 0
        for (i, c) in mesh.cells.enumerated() {
            let layer = problem.layers[c.layer]
            if layer.electrostatics == .poisson {
                pot[i] = next
                next += 1
                kinds.append(.potential)
            }
            first[i] = next
            next += layer.species.count
            if let h = layer.host {
                let top = h.maximumConcentration / concentrationScale
                kinds += [UnknownKind](repeating: .bounded(top), count: layer.species.count)
            } else if let a = layer.stericSize {
                // Bikerman packing: no concentration can exceed 1/(a³N_A) (the sum cannot either,
                // which the residual's log(1 − νΣc) enforces; Newton keeps each one inside).
                let top = 1 / (a * a * a * PhysicalConstants.avogadro * concentrationScale)
                kinds += [UnknownKind](repeating: .bounded(top), count: layer.species.count)
            } else {
                kinds += [UnknownKind](repeating: .density, count: layer.species.count)
            }
            if layer.electronTransport != nil {
                electron[i] = next
                next += 1
                kinds.append(.potential)
            }
        }
        potential = pot
        firstSpecies = first
        self.electron = electron
        bandSize = next
        terminalCount = problem.terminals.count
        let circuit = circuit ?? [Bool](repeating: true, count: problem.terminals.count)
        self.circuit = circuit
        circuitTerminals = circuit.indices.filter { circuit[$0] }
        var slot = [Int](repeating: -1, count: circuit.count)
        for (k, j) in circuitTerminals.enumerated() { slot[j] = k }
        circuitSlot = slot
        globalCount = 2 * circuitTerminals.count + extraGlobals
        var globalKinds: [UnknownKind] = []
        for _ in circuitTerminals { globalKinds += [.potential, .charge] }
        globalKinds += [UnknownKind](repeating: .free, count: extraGlobals)
        self.kinds = kinds + globalKinds
    }

    /// The Jacobian's sparsity pattern: every unknown of a cell couples to every unknown
    /// of the cell and of its face neighbours, and the global unknowns to everything
    /// (a dense border). Mesh-generic: it follows the faces, not a 1D ordering.
    public func sparsity(mesh: Mesh) -> SparsityPattern {
        let n = bandSize
        let globals = Array(n..<size)
        func unknowns(_ i: Int) -> Range<Int> {
            (potential[i] >= 0 ? potential[i] : firstSpecies[i])..<(firstSpecies[i] + speciesCount(i) + (electron[i] >= 0 ? 1 : 0))
        }
        var neighbours = (0..<cellCount).map { [$0] }
        for f in mesh.faces {
            guard let b = f.b else { continue }
            neighbours[f.a].append(b)
            neighbours[b].append(f.a)
        }
        var rows = [[Int]](repeating: [], count: size)
        for i in 0..<cellCount {
            var columns: [Int] = []
            for c in neighbours[i] { columns += unknowns(c) }
            columns += globals
            for r in unknowns(i) { rows[r] = columns }
        }
        for g in globals { rows[g] = Array(0..<size) }
        return SparsityPattern(size: size, borderCount: globalCount, rows: rows)
    }

    /// Number of species slots in cell i.
    public func speciesCount(_ i: Int) -> Int { layerSpecies[cellLayer[i]].count }

    /// Index of terminal j's potential (in thermal voltages), or nil when the terminal has
    /// no circuit unknowns.
    public func terminalPotential(_ j: Int) -> Int? { circuitSlot[j] < 0 ? nil : bandSize + 2 * circuitSlot[j] }
    /// Index of terminal j's electrode charge, divided by its reference capacitance
    /// (``PNPDiscretisation/terminalScale``), thermal voltages; nil without circuit unknowns.
    public func terminalCharge(_ j: Int) -> Int? { circuitSlot[j] < 0 ? nil : bandSize + 2 * circuitSlot[j] + 1 }
    /// Index of extra global g.
    public func extraGlobal(_ g: Int) -> Int { bandSize + 2 * circuitTerminals.count + g }

    /// Index of the concentration of slot s in cell i.
    @inlinable
    public func concentration(_ i: Int, _ s: Int) -> Int { firstSpecies[i] + s }
}
