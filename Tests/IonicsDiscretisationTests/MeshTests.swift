import IonicsDiscretisation
import Testing

@Suite("Meshes")
struct MeshTests {
    @Test("layer widths add up to the thickness and honour smallest, growth and max cell")
    func widths() {
        let t = 100e-9
        let graded = LayerMeshSpec(cells: 50, smallest: 0.1e-9).widths(thickness: t)
        #expect(graded.count == 50)
        #expect(abs(graded.reduce(0, +) - t) < 1e-22)
        #expect(abs(graded.first! - 0.1e-9) < 1e-15 && abs(graded.last! - 0.1e-9) < 1e-15)

        let limited = LayerMeshSpec(maxCell: 5e-9, growth: 1.2, smallest: 0.05e-9).widths(thickness: t)
        #expect(abs(limited.reduce(0, +) - t) < 1e-22)
        #expect(limited.max()! <= 5e-9 * (1 + 1e-12))
        #expect(limited.first! <= 0.05e-9 * (1 + 1e-12))
        for (a, b) in zip(limited, limited.dropFirst()) {
            #expect(max(a / b, b / a) <= 1.2 * (1 + 1e-12))
        }

        let start = LayerMeshSpec(cells: 20, growth: 1.1, grading: .start).widths(thickness: t)
        #expect(zip(start, start.dropFirst()).allSatisfy { $1 > $0 })
        #expect(abs(start[1] / start[0] - 1.1) < 1e-12)
    }

    @Test("layers meet at faces; faces know their cells and distances")
    func stack() {
        let mesh = Mesh.stack(thicknesses: [10e-9, 30e-9], specs: [.uniform(5), LayerMeshSpec(cells: 7, growth: 1.3)])
        #expect(mesh.cellCount == 12)
        #expect(mesh.faces.count == 13)
        #expect(mesh.layerBounds == [0, 10e-9, 40e-9])
        #expect(mesh.faces[5].position == 10e-9)
        #expect(mesh.cells[4].layer == 0 && mesh.cells[5].layer == 1)
        #expect(mesh.faces.first!.boundary == .first && mesh.faces.last!.boundary == .last)
        for f in mesh.faces {
            #expect(abs(f.distanceA - abs(f.position - mesh.cells[f.a].centre)) < 1e-20)
            if let b = f.b { #expect(abs(f.distanceB - abs(mesh.cells[b].centre - f.position)) < 1e-20) }
        }
        #expect(mesh.cells(inLayer: 1) == 5..<12)
    }
}

@Suite("Structure-of-arrays meshes")
struct MeshArrayTests {
    static let thicknesses = [20e-9, 50e-9]
    static let specs = [LayerMeshSpec(cells: 6, smallest: 1e-9), LayerMeshSpec(cells: 9, growth: 1.2, grading: .start)]
    static let lateral = [0, 5e-9, 12e-9, 30e-9, 60e-9]

    @Test("a 2D tensor-product mesh tiles its rectangle: volumes, boundary areas, tags and face cells")
    func tensorProduct() {
        let mesh = Mesh.tensorProduct(thicknesses: Self.thicknesses, specs: Self.specs, lateral: Self.lateral)
        let (nx, ny) = (4, 15)
        let (width, height) = (60e-9, 70e-9)
        #expect(mesh.dimension == 2 && mesh.cellCount == nx * ny)
        #expect(mesh.faceCount == nx * (ny + 1) + ny * (nx + 1))
        #expect(abs(mesh.cellVolume.reduce(0, +) - width * height) < 1e-12 * width * height)
        // Each boundary tag covers its whole side.
        for (tag, length) in [("first", width), ("last", width), ("left", height), ("right", height)] {
            let faces = mesh.faces(tagged: tag)
            #expect(abs(faces.map { mesh.faceArea[$0] }.reduce(0, +) - length) < 1e-12 * length, "\(tag)")
            #expect(faces.allSatisfy { mesh.faceCellB[$0] == -1 })
        }
        #expect(mesh.faceTag.filter { $0 >= 0 }.count == 2 * nx + 2 * ny)
        // Divergence theorem per cell: Σ_faces area·n·(±1) = 0 (closed cells), and the face
        // distances reach from centroid to face centroid along the normal.
        var closure = [SIMD2<Double>](repeating: .zero, count: mesh.cellCount)
        for f in 0..<mesh.faceCount {
            let a = mesh.faceCellA[f], b = mesh.faceCellB[f]
            let n = mesh.faceNormal[f]
            closure[a] += mesh.faceArea[f] * n
            if b >= 0 { closure[b] -= mesh.faceArea[f] * n }
            let da = ((mesh.faceCentroid[f] - mesh.cellCentroid[a]) * n).sum()
            #expect(abs(da - mesh.faceDistanceA[f]) < 1e-20 && da > 0)
            if b >= 0 {
                let db = ((mesh.cellCentroid[b] - mesh.faceCentroid[f]) * n).sum()
                #expect(abs(db - mesh.faceDistanceB[f]) < 1e-20 && db > 0)
            }
        }
        #expect(closure.allSatisfy { abs($0.x) < 1e-22 && abs($0.y) < 1e-22 })
        // Regions follow the layers in y; cell (i, j) is j·nx + i.
        #expect(mesh.cellIndices(inRegion: 0).count == 6 * nx && mesh.cellIndices(inRegion: 1).count == 9 * nx)
        #expect(mesh.cellCentroid[2 * nx + 3].x == 0.5 * (30e-9 + 60e-9))
    }

    @Test("a 2D mesh one cell wide has the 1D stack's cells and y-faces")
    func oneColumnMatchesStack() {
        let stack = Mesh.stack(thicknesses: Self.thicknesses, specs: Self.specs)
        let column = Mesh.tensorProduct(thicknesses: Self.thicknesses, specs: Self.specs, lateral: [0, 1])
        #expect(column.cellCount == stack.cellCount)
        #expect(column.cellVolume == stack.cellVolume)
        #expect(column.cellRegion == stack.cellRegion)
        #expect(column.cellCentroid.map(\.y) == stack.cellCentroid.map(\.y))
        let yFaces = 0..<stack.faceCount
        #expect(Array(column.faceCellA[yFaces]) == stack.faceCellA && Array(column.faceCellB[yFaces]) == stack.faceCellB)
        #expect(Array(column.faceDistanceA[yFaces]) == stack.faceDistanceA && Array(column.faceArea[yFaces]) == stack.faceArea)
        #expect(stack.faces[0].boundary == .first && stack.faces[stack.faceCount - 1].boundary == .last)
        #expect(column.faces[column.faceCount - 1].tag == "right")
    }
}
