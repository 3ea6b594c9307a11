import IonicsLinearAlgebra
import IonicsPhysics

/// Storage written once and then only read, freed with its owner: a column of the
/// ``PNPDiscretisation/ContinuityPlan`` read by the kernels through a raw pointer (no
/// bounds checks or array retains in the hot loops). `@unchecked Sendable`: nothing
/// writes it after `init`, so any number of threads may read it.
final class PlanColumn<T>: @unchecked Sendable {
    let base: UnsafeMutablePointer<T>
    let count: Int

    init(_ values: [T]) {
        count = values.count
        base = .allocate(capacity: max(1, values.count))
        values.withUnsafeBufferPointer { if let b = $0.baseAddress { base.initialize(from: b, count: count) } }
    }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }

    @inline(__always) subscript(_ i: Int) -> T { base[i] }
}

extension PNPDiscretisation {
    /// The interior continuity faces prepared once for the vectorised kernel
    /// (`ContinuityKernels.swift`): per Gauss face and per species link (one entry per
    /// species crossing a face) the unknowns it reads, its coefficients and the positions
    /// in the Jacobian's value array of the entries it adds to, as structure-of-arrays.
    ///
    /// The entries are ordered for threads and caches: the cells are cut into contiguous
    /// blocks (``blockCells``; one block below ``AssemblyOptions/parallelCells`` or in 1D),
    /// a block's own faces touch only the rows of its cells, the faces between blocks k and
    /// k + 1 form seam k (``seams``: the worker that owns both blocks adds them), and faces
    /// between blocks further apart (none on the tensor-product meshes, whose blocks are
    /// thicker than a row) are coloured greedily so that no two faces of a colour share a
    /// cell (``colours``). All are cut into tiles (``Part``s) of ``tileFaces`` faces sorted by their first
    /// cell; inside a tile the links are grouped into ``Segment``s of equal terms (field or
    /// not, D(θ) or constant, excess potential or ideal), so the kernel branches once per
    /// segment, not per face.
    struct ContinuityPlan: Sendable {
        /// Links with the same terms, entries `entries` of the link columns.
        struct Segment: Sendable {
            var entries: Range<Int>
            /// z ≠ 0 and a potential on both sides: z(φ̂_b − φ̂_a) in Δψ and four ∂/∂φ̂ entries.
            var field: Bool
            /// D(θ) of a host at the mean filling (`hostLayer`), `g` holding â/d̂.
            var hostDiffusivity: Bool
            /// A bulk law with ∂μ̂_ex/∂ĉ ≠ 0 on either side: the coupling entries.
            var coupled: Bool
        }

        /// A tile of at most ``tileFaces`` faces: their Gauss entries and link segments.
        struct Part: Sendable {
            var gauss: Range<Int>
            var segments: Range<Int>
        }

        // Gauss's flux ε∇φ·n of faces with Poisson on both sides.
        let gaussFace: PlanColumn<Int32>
        let gaussA: PlanColumn<Int32>
        let gaussB: PlanColumn<Int32>
        let gaussG: PlanColumn<Double>
        /// Four per face: (a, a), (a, b), (b, a), (b, b) of the potential unknowns.
        let gaussSlots: PlanColumn<Int32>

        // Species links.
        let face: PlanColumn<Int32>
        /// The problem's species index (for the face record).
        let species: PlanColumn<Int32>
        /// Concentration unknowns on either side.
        let ia: PlanColumn<Int32>
        let ib: PlanColumn<Int32>
        /// Potential unknowns (those of `ia`, `ib` where a side has none: never read then).
        let pa: PlanColumn<Int32>
        let pb: PlanColumn<Int32>
        /// Positions of μ̂_ex in the pass's per-cell excess potentials.
        let muA: PlanColumn<Int32>
        let muB: PlanColumn<Int32>
        /// Layer whose D(θ) a host link evaluates, −1 otherwise.
        let hostLayer: PlanColumn<Int32>
        /// D̂_σ â_σ/d̂_σ, or â_σ/d̂_σ for a host link.
        let g: PlanColumn<Double>
        let z: PlanColumn<Double>
        /// (μ°_b − μ°_a)/RT.
        let dmu0: PlanColumn<Double>
        /// Eight per link: (ia, ia), (ia, ib), (ib, ia), (ib, ib), then (ia, pa), (ia, pb),
        /// (ib, pa), (ib, pb) for a field link (0 otherwise: never used).
        let slots: PlanColumn<Int32>
        /// Couplings of link e: `couplingStart[e] ..< couplingStart[e + 1]`; each reads
        /// ∂μ̂/∂ĉ at `couplingDmu` and adds sign·dd·m at `couplingSlotA` (row ia) and its
        /// negative at `couplingSlotB` (row ib).
        let couplingStart: PlanColumn<Int32>
        let couplingDmu: PlanColumn<Int32>
        let couplingSlotA: PlanColumn<Int32>
        let couplingSlotB: PlanColumn<Int32>
        let couplingSign: PlanColumn<Double>

        let segments: [Segment]
        let parts: [Part]
        /// Contiguous cell ranges, covering every cell, and the tiles (``parts``) of the
        /// faces inside each.
        let blockCells: [Range<Int>]
        let blocks: [Range<Int>]
        /// The tiles of the faces between blocks k and k + 1.
        let seams: [Range<Int>]
        /// The tiles of the faces between blocks further apart, by colour.
        let colours: [Range<Int>]
        /// Per cell and slot, the position of ∂(Poisson row)/∂ĉ_s (−1: none), for the cell terms.
        let chargeSlots: PlanColumn<Int32>
        /// Electrode, semiconductor and mixed-conductor faces (their scalar kernels), in face order.
        let otherFaces: [Int]
        /// Slots per cell in the pass's excess-potential arrays.
        let maxSlots: Int
        var linkCount: Int { face.count }

        /// Faces per tile: a tile's rows (about half as many cells) stay in cache while
        /// its Gauss entries and then its links add to them.
        static let tileFaces = 1024
    }
}

extension PNPDiscretisation.ContinuityPlan {
    /// The plan of `faceKinds` on `mesh`, with Jacobian positions from `sparsity`.
    init(
        problem: PNPProblem, mesh: Mesh, layout: StateLayout, sparsity: SparsityPattern,
        faceKinds: [PNPDiscretisation.FaceKind], bulk: [any BulkLaw], hosts: [HostLattice?]
    ) {
        let n = mesh.cellCount
        let maxSlots = max(1, problem.layers.map(\.species.count).max() ?? 1)
        self.maxSlots = maxSlots
        let blockCount = mesh.dimension == 2 && n >= AssemblyOptions.parallelCells ? min(64, max(1, n / 256)) : 1
        blockCells = (0..<blockCount).map { k in (k * n + blockCount - 1) / blockCount ..< ((k + 1) * n + blockCount - 1) / blockCount }
        func block(_ c: Int) -> Int { c * blockCount / n }

        var inside = [[Int]](repeating: [], count: blockCount)
        var seam = [[Int]](repeating: [], count: max(0, blockCount - 1))
        var between: [Int] = []
        var other: [Int] = []
        for fi in 0..<mesh.faceCount {
            switch faceKinds[fi] {
            case .continuity:
                let ka = block(mesh.faceCellA[fi]), kb = block(mesh.faceCellB[fi])
                if ka == kb {
                    inside[ka].append(fi)
                } else if abs(ka - kb) == 1 {
                    seam[min(ka, kb)].append(fi)
                } else {
                    between.append(fi)
                }
            case .electrode, .semiconductor, .mixed: other.append(fi)
            case .closed: break
            }
        }
        otherFaces = other
        // Greedy colouring of the faces between blocks: each takes the first colour that
        // neither of its cells has yet (a cell has at most 2d faces, so a handful of colours).
        var coloured: [[Int]] = []
        var used = [UInt64](repeating: 0, count: between.isEmpty ? 0 : n)
        for fi in between {
            let a = mesh.faceCellA[fi], b = mesh.faceCellB[fi]
            let c = (~(used[a] | used[b])).trailingZeroBitCount
            precondition(c < 64, "more than 64 colours of faces between blocks")
            used[a] |= 1 << UInt64(c)
            used[b] |= 1 << UInt64(c)
            if c == coloured.count { coloured.append([]) }
            coloured[c].append(fi)
        }

        // Faces by their first cell, so that a cell's rows receive all its faces' terms
        // while they are in cache (face order runs through the mesh twice in 2D).
        func byCell(_ faces: [Int]) -> [Int] {
            faces.sorted { (mesh.faceCellA[$0], mesh.faceCellB[$0]) < (mesh.faceCellA[$1], mesh.faceCellB[$1]) }
        }
        var builder = Builder(problem: problem, mesh: mesh, layout: layout, sparsity: sparsity, bulk: bulk, hosts: hosts, maxSlots: maxSlots)
        blocks = inside.map { builder.tiles(faces: byCell($0), kinds: faceKinds) }
        seams = seam.map { builder.tiles(faces: byCell($0), kinds: faceKinds) }
        colours = coloured.map { builder.tiles(faces: $0, kinds: faceKinds) }
        segments = builder.segments
        parts = builder.parts
        var charge = [Int32](repeating: -1, count: n * maxSlots)
        for i in 0..<n where layout.potential[i] >= 0 {
            let l = mesh.cellRegion[i]
            for (k, sp) in problem.layers[l].species.enumerated() where problem.species[sp.species].charge != 0 {
                charge[i * maxSlots + k] = builder.slot(layout.potential[i], layout.firstSpecies[i] + k)
            }
        }
        chargeSlots = PlanColumn(charge)
        gaussFace = PlanColumn(builder.gaussFace)
        gaussA = PlanColumn(builder.gaussA)
        gaussB = PlanColumn(builder.gaussB)
        gaussG = PlanColumn(builder.gaussG)
        gaussSlots = PlanColumn(builder.gaussSlots)
        face = PlanColumn(builder.face)
        species = PlanColumn(builder.species)
        ia = PlanColumn(builder.ia)
        ib = PlanColumn(builder.ib)
        pa = PlanColumn(builder.pa)
        pb = PlanColumn(builder.pb)
        muA = PlanColumn(builder.muA)
        muB = PlanColumn(builder.muB)
        hostLayer = PlanColumn(builder.hostLayer)
        g = PlanColumn(builder.g)
        z = PlanColumn(builder.z)
        dmu0 = PlanColumn(builder.dmu0)
        slots = PlanColumn(builder.slots)
        couplingStart = PlanColumn(builder.couplingStart)
        couplingDmu = PlanColumn(builder.couplingDmu)
        couplingSlotA = PlanColumn(builder.couplingSlotA)
        couplingSlotB = PlanColumn(builder.couplingSlotB)
        couplingSign = PlanColumn(builder.couplingSign)
    }

    /// The columns while they are being filled.
    private struct Builder {
        let problem: PNPProblem
        let mesh: Mesh
        let layout: StateLayout
        let sparsity: SparsityPattern
        let ideal: [Bool]
        let hosts: [HostLattice?]
        let maxSlots: Int
        var gaussFace: [Int32] = [], gaussA: [Int32] = [], gaussB: [Int32] = [], gaussG: [Double] = [], gaussSlots: [Int32] = []
        var face: [Int32] = [], species: [Int32] = [], ia: [Int32] = [], ib: [Int32] = [], pa: [Int32] = [], pb: [Int32] = []
        var muA: [Int32] = [], muB: [Int32] = [], hostLayer: [Int32] = [], g: [Double] = [], z: [Double] = [], dmu0: [Double] = []
        var slots: [Int32] = [], couplingStart: [Int32] = [0], couplingDmu: [Int32] = [], couplingSlotA: [Int32] = []
        var couplingSlotB: [Int32] = [], couplingSign: [Double] = []
        var segments: [Segment] = []
        var parts: [Part] = []

        init(problem: PNPProblem, mesh: Mesh, layout: StateLayout, sparsity: SparsityPattern, bulk: [any BulkLaw],
             hosts: [HostLattice?], maxSlots: Int) {
            self.problem = problem
            self.mesh = mesh
            self.layout = layout
            self.sparsity = sparsity
            ideal = bulk.map { $0 is IdealSolution }
            self.hosts = hosts
            self.maxSlots = maxSlots
            precondition(sparsity.nonzeroCount < Int(Int32.max) && layout.size < Int(Int32.max), "Jacobian too large for 32-bit positions")
        }

        func slot(_ row: Int, _ column: Int) -> Int32 {
            guard let s = sparsity.slot(row: row, column: column) else {
                preconditionFailure("entry (\(row), \(column)) of an interior face outside the Jacobian's sparsity pattern")
            }
            return Int32(s)
        }

        /// Appends `faces` as tiles of at most ``ContinuityPlan/tileFaces`` and returns their range in ``parts``.
        mutating func tiles(faces: [Int], kinds: [PNPDiscretisation.FaceKind]) -> Range<Int> {
            let start = parts.count
            for lo in stride(from: 0, to: faces.count, by: PNPDiscretisation.ContinuityPlan.tileFaces) {
                parts.append(part(faces: faces[lo..<min(faces.count, lo + PNPDiscretisation.ContinuityPlan.tileFaces)], kinds: kinds))
            }
            return start..<parts.count
        }

        /// Appends the Gauss entries and the links of `faces` (in the given order within
        /// each segment) and returns their part.
        mutating func part(faces: ArraySlice<Int>, kinds: [PNPDiscretisation.FaceKind]) -> Part {
            let gaussStart = gaussFace.count
            // (face, link, key): the key groups links with the same terms.
            var links: [(face: Int, link: PNPDiscretisation.Link, key: Int)] = []
            for fi in faces {
                guard case .continuity(let faceLinks, let ge) = kinds[fi] else { continue }
                let a = mesh.faceCellA[fi], b = mesh.faceCellB[fi]
                let (pa, pb) = (layout.potential[a], layout.potential[b])
                if ge != 0 {
                    gaussFace.append(Int32(fi)); gaussA.append(Int32(pa)); gaussB.append(Int32(pb)); gaussG.append(ge)
                    gaussSlots += [slot(pa, pa), slot(pa, pb), slot(pb, pa), slot(pb, pb)]
                }
                let la = mesh.cellRegion[a], lb = mesh.cellRegion[b]
                for link in faceLinks {
                    let field = pa >= 0 && pb >= 0 && link.z != 0
                    let host = link.hostGeometry != 0 && hosts[la] != nil
                    let coupled = !(ideal[la] && ideal[lb])
                    links.append((fi, link, (field ? 1 : 0) | (host ? 2 : 0) | (coupled ? 4 : 0)))
                }
            }
            let segmentStart = segments.count
            for key in 0..<8 {
                let start = face.count
                for (fi, link, k) in links where k == key { append(face: fi, link: link, field: key & 1 != 0, host: key & 2 != 0) }
                if face.count > start {
                    segments.append(Segment(entries: start..<face.count, field: key & 1 != 0, hostDiffusivity: key & 2 != 0, coupled: key & 4 != 0))
                }
            }
            return Part(gauss: gaussStart..<gaussFace.count, segments: segmentStart..<segments.count)
        }

        mutating func append(face fi: Int, link: PNPDiscretisation.Link, field: Bool, host: Bool) {
            let a = mesh.faceCellA[fi], b = mesh.faceCellB[fi]
            let la = mesh.cellRegion[a], lb = mesh.cellRegion[b]
            let firstA = layout.firstSpecies[a], firstB = layout.firstSpecies[b]
            let i = firstA + link.slotA, j = firstB + link.slotB
            let p = field ? layout.potential[a] : i, q = field ? layout.potential[b] : j
            face.append(Int32(fi))
            species.append(Int32(problem.layers[la].species[link.slotA].species))
            ia.append(Int32(i)); ib.append(Int32(j)); pa.append(Int32(p)); pb.append(Int32(q))
            muA.append(Int32(a * maxSlots + link.slotA)); muB.append(Int32(b * maxSlots + link.slotB))
            hostLayer.append(host ? Int32(la) : -1)
            g.append(host ? link.hostGeometry : link.g)
            z.append(link.z)
            dmu0.append(link.dmu0)
            slots += [slot(i, i), slot(i, j), slot(j, i), slot(j, j)]
            slots += field ? [slot(i, p), slot(i, q), slot(j, p), slot(j, q)] : [0, 0, 0, 0]
            if !(ideal[la] && ideal[lb]) {
                // The scalar kernel's order: cell b's ∂μ̂_b/∂ĉ (−dd·m on row ia), then cell a's (+dd·m).
                for k in 0..<layout.speciesCount(b) {
                    couplingDmu.append(Int32((b * maxSlots + link.slotB) * maxSlots + k))
                    couplingSlotA.append(slot(i, firstB + k)); couplingSlotB.append(slot(j, firstB + k)); couplingSign.append(-1)
                }
                for k in 0..<layout.speciesCount(a) {
                    couplingDmu.append(Int32((a * maxSlots + link.slotA) * maxSlots + k))
                    couplingSlotA.append(slot(i, firstA + k)); couplingSlotB.append(slot(j, firstA + k)); couplingSign.append(1)
                }
            }
            couplingStart.append(Int32(couplingDmu.count))
        }
    }
}
