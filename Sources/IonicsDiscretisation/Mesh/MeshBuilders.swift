extension Mesh {
    /// A 1D mesh of a stack of layers, each meshed on its own so that layer
    /// interfaces fall on faces. Faces run from y = 0 upwards: face 0 is the "first"
    /// boundary, the last face the "last" boundary, face k (0 < k < cells) lies between
    /// cells k − 1 and k.
    public static func stack(thicknesses: [Double], specs: [LayerMeshSpec]) -> Mesh {
        let (y, regions, bounds) = stackFaces(thicknesses: thicknesses, specs: specs)
        let n = regions.count
        var mesh = Mesh(dimension: 1, tags: ["first", "last"], layerBounds: bounds, lateralFaces: [])
        mesh.reserve(cells: n, faces: n + 1)
        for i in 0..<n {
            mesh.appendCell(volume: y[i + 1] - y[i], region: regions[i], centroid: SIMD2(0, 0.5 * (y[i] + y[i + 1])),
                            lowerY: y[i], upperY: y[i + 1])
        }
        let up = SIMD2<Double>(0, 1)
        mesh.appendFace(a: 0, b: -1, tag: 0, area: 1, distanceA: mesh.cellCentroid[0].y - y[0], distanceB: 0,
                        normal: -up, centroid: SIMD2(0, y[0]))
        for k in 1..<n {
            mesh.appendFace(a: k - 1, b: k, tag: -1, area: 1, distanceA: y[k] - mesh.cellCentroid[k - 1].y,
                            distanceB: mesh.cellCentroid[k].y - y[k], normal: up, centroid: SIMD2(0, y[k]))
        }
        mesh.appendFace(a: n - 1, b: -1, tag: 1, area: 1, distanceA: y[n] - mesh.cellCentroid[n - 1].y, distanceB: 0,
                        normal: up, centroid: SIMD2(0, y[n]))
        return mesh
    }

    /// A 2D tensor-product mesh: the 1D stack of `thicknesses`/`specs` in y times the
    /// lateral face coordinates `lateral` (m, strictly increasing, from x = 0) in x. Cell
    /// (i, j) — column i in x, row j in y — is cell j·nx + i. Faces: first every
    /// y-normal face (rows of nx, from y = 0 up), then every x-normal face (columns of
    /// ny, from x = 0 right). Boundary tags "first"/"last" (y = 0 and y = top, normal
    /// −y/+y) and "left"/"right" (x = 0 and x = width, normal −x/+x). Areas and volumes
    /// are per metre of depth.
    public static func tensorProduct(thicknesses: [Double], specs: [LayerMeshSpec], lateral: [Double]) -> Mesh {
        precondition(lateral.count >= 2 && zip(lateral, lateral.dropFirst()).allSatisfy { $0 < $1 },
                     "lateral face coordinates must rise strictly")
        let (y, regions, bounds) = stackFaces(thicknesses: thicknesses, specs: specs)
        let x = lateral
        let ny = regions.count
        let nx = x.count - 1
        var mesh = Mesh(dimension: 2, tags: ["first", "last", "left", "right"], layerBounds: bounds, lateralFaces: x)
        mesh.reserve(cells: nx * ny, faces: nx * (ny + 1) + ny * (nx + 1))
        for j in 0..<ny {
            for i in 0..<nx {
                mesh.appendCell(volume: (x[i + 1] - x[i]) * (y[j + 1] - y[j]), region: regions[j],
                                centroid: SIMD2(0.5 * (x[i] + x[i + 1]), 0.5 * (y[j] + y[j + 1])), lowerY: y[j], upperY: y[j + 1])
            }
        }
        func cell(_ i: Int, _ j: Int) -> Int { j * nx + i }
        let up = SIMD2<Double>(0, 1), right = SIMD2<Double>(1, 0)
        // y-normal faces, row k at y[k].
        for k in 0...ny {
            for i in 0..<nx {
                let w = x[i + 1] - x[i]
                let xc = 0.5 * (x[i] + x[i + 1])
                if k == 0 {
                    let a = cell(i, 0)
                    mesh.appendFace(a: a, b: -1, tag: 0, area: w, distanceA: mesh.cellCentroid[a].y - y[0], distanceB: 0,
                                    normal: -up, centroid: SIMD2(xc, y[0]))
                } else if k == ny {
                    let a = cell(i, ny - 1)
                    mesh.appendFace(a: a, b: -1, tag: 1, area: w, distanceA: y[ny] - mesh.cellCentroid[a].y, distanceB: 0,
                                    normal: up, centroid: SIMD2(xc, y[ny]))
                } else {
                    let a = cell(i, k - 1), b = cell(i, k)
                    mesh.appendFace(a: a, b: b, tag: -1, area: w, distanceA: y[k] - mesh.cellCentroid[a].y,
                                    distanceB: mesh.cellCentroid[b].y - y[k], normal: up, centroid: SIMD2(xc, y[k]))
                }
            }
        }
        // x-normal faces, column k at x[k].
        for k in 0...nx {
            for j in 0..<ny {
                let h = y[j + 1] - y[j]
                let yc = 0.5 * (y[j] + y[j + 1])
                if k == 0 {
                    let a = cell(0, j)
                    mesh.appendFace(a: a, b: -1, tag: 2, area: h, distanceA: mesh.cellCentroid[a].x - x[0], distanceB: 0,
                                    normal: -right, centroid: SIMD2(x[0], yc))
                } else if k == nx {
                    let a = cell(nx - 1, j)
                    mesh.appendFace(a: a, b: -1, tag: 3, area: h, distanceA: x[nx] - mesh.cellCentroid[a].x, distanceB: 0,
                                    normal: right, centroid: SIMD2(x[nx], yc))
                } else {
                    let a = cell(k - 1, j), b = cell(k, j)
                    mesh.appendFace(a: a, b: b, tag: -1, area: h, distanceA: x[k] - mesh.cellCentroid[a].x,
                                    distanceB: mesh.cellCentroid[b].x - x[k], normal: right, centroid: SIMD2(x[k], yc))
                }
            }
        }
        return mesh
    }

    /// Face coordinates in y, the region of every cell and the layer bounds of a stack.
    static func stackFaces(thicknesses: [Double], specs: [LayerMeshSpec]) -> (faces: [Double], regions: [Int], bounds: [Double]) {
        precondition(thicknesses.count == specs.count && !specs.isEmpty)
        var faces: [Double] = [0]
        var regions: [Int] = []
        var bounds: [Double] = [0]
        var y = 0.0
        for (l, (t, spec)) in zip(thicknesses, specs).enumerated() {
            let widths = spec.widths(thickness: t)
            let layerEnd = y + t
            for (j, w) in widths.enumerated() {
                y = j == widths.count - 1 ? layerEnd : y + w
                faces.append(y)
                regions.append(l)
            }
            y = layerEnd
            bounds.append(layerEnd)
        }
        return (faces, regions, bounds)
    }

    /// An empty mesh to be filled by a builder.
    init(dimension: Int, tags: [String], layerBounds: [Double], lateralFaces: [Double]) {
        self.dimension = dimension
        cellVolume = []; cellRegion = []; cellCentroid = []; cellLowerY = []; cellUpperY = []
        faceCellA = []; faceCellB = []; faceTag = []; faceArea = []; faceDistanceA = []; faceDistanceB = []
        faceNormal = []; faceCentroid = []
        self.tags = tags
        self.layerBounds = layerBounds
        self.lateralFaces = lateralFaces
    }

    mutating func reserve(cells: Int, faces: Int) {
        cellVolume.reserveCapacity(cells); cellRegion.reserveCapacity(cells); cellCentroid.reserveCapacity(cells)
        cellLowerY.reserveCapacity(cells); cellUpperY.reserveCapacity(cells)
        faceCellA.reserveCapacity(faces); faceCellB.reserveCapacity(faces); faceTag.reserveCapacity(faces)
        faceArea.reserveCapacity(faces); faceDistanceA.reserveCapacity(faces); faceDistanceB.reserveCapacity(faces)
        faceNormal.reserveCapacity(faces); faceCentroid.reserveCapacity(faces)
    }

    mutating func appendCell(volume: Double, region: Int, centroid: SIMD2<Double>, lowerY: Double, upperY: Double) {
        cellVolume.append(volume); cellRegion.append(region); cellCentroid.append(centroid)
        cellLowerY.append(lowerY); cellUpperY.append(upperY)
    }

    mutating func appendFace(a: Int, b: Int, tag: Int, area: Double, distanceA: Double, distanceB: Double,
                             normal: SIMD2<Double>, centroid: SIMD2<Double>) {
        faceCellA.append(a); faceCellB.append(b); faceTag.append(tag); faceArea.append(area)
        faceDistanceA.append(distanceA); faceDistanceB.append(distanceB); faceNormal.append(normal); faceCentroid.append(centroid)
    }
}
