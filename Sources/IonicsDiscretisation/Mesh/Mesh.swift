/// A finite-volume mesh seen only as cells and faces, stored as structure-of-arrays, so
/// that one assembly serves the 1D graded stack and 2D tensor-product meshes and the
/// face kernels stream through contiguous arrays.
///
/// Coordinates are (x, y): y runs through the stack (gate → channel), x along the
/// channel (source → drain, 2D only). Lengths in metres. A cell's volume is in m^d and a
/// face's area in m^(d−1): in 1D a volume is a width and an area is 1 (quantities per m²
/// of the stack's cross-section), in 2D quantities are per metre of depth.
///
/// Boundary faces carry a tag (``tags``), by which boundaries, contacts and interfaces
/// are named — "first"/"last" at the two ends of the stack in y, "left"/"right" at the
/// two ends in x — not by their position in the arrays.
public struct Mesh: Sendable {
    /// Spatial dimension d (1 or 2).
    public var dimension: Int

    // MARK: Cells

    /// Volume of each cell, m^d.
    public var cellVolume: [Double]
    /// Region (layer index) of each cell.
    public var cellRegion: [Int]
    /// Centroid of each cell (x, y), m (x = 0 in 1D).
    public var cellCentroid: [SIMD2<Double>]
    /// Extent of each cell in y (lower and upper face coordinates), m.
    public var cellLowerY: [Double]
    public var cellUpperY: [Double]

    // MARK: Faces

    /// The cell on the first side of each face (for a boundary face: the cell inside).
    public var faceCellA: [Int]
    /// The cell on the other side; −1 for a boundary face.
    public var faceCellB: [Int]
    /// Tag of each boundary face (an index into ``tags``); −1 for interior faces.
    public var faceTag: [Int]
    /// Area of each face, m^(d−1).
    public var faceArea: [Double]
    /// Distance from cell a's centroid to the face, measured along the normal, m.
    public var faceDistanceA: [Double]
    /// Distance from the face to cell b's centroid (0 for a boundary face), m.
    public var faceDistanceB: [Double]
    /// Unit normal of each face, pointing from a to b (outward on boundary faces).
    public var faceNormal: [SIMD2<Double>]
    /// Centroid of each face (x, y), m.
    public var faceCentroid: [SIMD2<Double>]

    // MARK: Names

    /// Names of the boundary tags.
    public var tags: [String]
    /// Coordinates in y of the faces between layers and at both ends, m (layerCount + 1 values).
    public var layerBounds: [Double]
    /// Face coordinates in x of a tensor-product mesh (empty in 1D), m.
    public var lateralFaces: [Double]

    public var cellCount: Int { cellVolume.count }
    public var faceCount: Int { faceCellA.count }

    /// The tag index of `name`, if the mesh has it.
    public func tag(named name: String) -> Int? { tags.firstIndex(of: name) }

    /// Faces carrying tag `name`, in storage order.
    public func faces(tagged name: String) -> [Int] {
        guard let t = tag(named: name) else { return [] }
        return faceTag.indices.filter { faceTag[$0] == t }
    }

    /// Cells of region (layer) `l`, in storage order.
    public func cellIndices(inRegion l: Int) -> [Int] {
        cellRegion.indices.filter { cellRegion[$0] == l }
    }
}

// MARK: - Views

extension Mesh {
    /// One cell, assembled from the arrays (for code off the hot paths).
    public struct Cell: Sendable, Equatable {
        /// Volume (1D: width), m^d.
        public var volume: Double
        /// Index of the layer the cell belongs to.
        public var layer: Int
        /// Centroid coordinate y (through the stack), m.
        public var centre: Double
        /// Centroid coordinate x (along the channel; 0 in 1D), m.
        public var x: Double
        /// Lower and upper faces' coordinates in y, m.
        public var lower: Double
        public var upper: Double
    }

    /// Which end of the stack (in y) a boundary face lies on.
    public enum BoundarySide: String, Sendable, Equatable {
        case first, last
    }

    /// One face, assembled from the arrays (for code off the hot paths).
    public struct Face: Sendable, Equatable {
        public var a: Int
        /// The cell on the other side; nil for a boundary face.
        public var b: Int?
        /// Tag name of a boundary face; nil for interior faces.
        public var tag: String?
        public var area: Double
        public var distanceA: Double
        public var distanceB: Double
        /// Coordinate of the face in y, m.
        public var position: Double
        /// Unit normal from a to b.
        public var normal: SIMD2<Double>

        /// For a face on either end of the stack, which end.
        public var boundary: BoundarySide? { tag.flatMap(BoundarySide.init(rawValue:)) }
        /// Centre-to-centre distance (to the face itself for a boundary face).
        public var distance: Double { distanceA + distanceB }
        public var isBoundary: Bool { b == nil }
    }

    /// The cells as a random-access collection of ``Cell`` values.
    public struct Cells: RandomAccessCollection, Sendable {
        let mesh: Mesh
        public var startIndex: Int { 0 }
        public var endIndex: Int { mesh.cellCount }
        public subscript(i: Int) -> Cell {
            Cell(volume: mesh.cellVolume[i], layer: mesh.cellRegion[i], centre: mesh.cellCentroid[i].y,
                 x: mesh.cellCentroid[i].x, lower: mesh.cellLowerY[i], upper: mesh.cellUpperY[i])
        }
    }

    /// The faces as a random-access collection of ``Face`` values.
    public struct Faces: RandomAccessCollection, Sendable {
        let mesh: Mesh
        public var startIndex: Int { 0 }
        public var endIndex: Int { mesh.faceCount }
        public subscript(i: Int) -> Face {
            let b = mesh.faceCellB[i]
            let t = mesh.faceTag[i]
            return Face(a: mesh.faceCellA[i], b: b >= 0 ? b : nil, tag: t >= 0 ? mesh.tags[t] : nil, area: mesh.faceArea[i],
                        distanceA: mesh.faceDistanceA[i], distanceB: mesh.faceDistanceB[i],
                        position: mesh.faceCentroid[i].y, normal: mesh.faceNormal[i])
        }
    }

    public var cells: Cells { Cells(mesh: self) }
    public var faces: Faces { Faces(mesh: self) }

    /// Cells of layer `l`, which must be contiguous (true of every 1D stack).
    public func cells(inLayer l: Int) -> Range<Int> {
        let lo = cellRegion.firstIndex(of: l) ?? 0
        let hi = cellRegion.lastIndex(of: l).map { $0 + 1 } ?? lo
        precondition(cellRegion[lo..<hi].allSatisfy { $0 == l }, "layer \(l) is not contiguous in this mesh; use cellIndices(inRegion:)")
        return lo..<hi
    }

    /// The boundary face on `side` of a 1D stack.
    public func boundaryFace(_ side: BoundarySide) -> Int {
        precondition(dimension == 1, "boundaryFace(_:) is for 1D stacks; use faces(tagged:)")
        return side == .first ? 0 : faceCount - 1
    }
}
