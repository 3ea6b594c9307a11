/// Where each value of a ``SparseMatrix`` of one pattern goes in a ``BorderedBandMatrix``
/// (band storage, in natural or reversed order, or one of the three border blocks),
/// resolved once per pattern: ``BandLinearSolver`` then copies every new Jacobian with one
/// indexed store per value instead of recomputing, bounds-checking and branching on each
/// value's position (the copy was about a third of the solver's factorisation cost at the
/// bandwidths of 1D stacks).
struct BandFillMap: Sendable {
    /// Per CSR slot: the offset in band storage (band rows and columns), in the right
    /// border (band rows, border columns: i + c·n), the bottom border (border rows, band
    /// columns: r·n + j) or the corner (border rows and columns: r + c·k), with i and j
    /// as stored.
    let targets: [Int]
    /// Per band row, the end of its band slots; its border columns' slots follow (a
    /// pattern's columns are sorted and the border unknowns are the last).
    let bandEnds: [Int]

    init(pattern p: SparsityPattern, lower: Int, upper: Int, reversed: Bool) {
        let n = p.size - p.borderCount
        let k = p.borderCount
        let layout = BandMatrix(size: n, lower: lower, upper: upper)
        func stored(_ i: Int) -> Int { reversed ? n - 1 - i : i }
        var targets = [Int](repeating: 0, count: p.nonzeroCount)
        var bandEnds = [Int](repeating: 0, count: n)
        for i in 0..<p.size {
            let slots = Int(p.rowStart[i])..<Int(p.rowStart[i + 1])
            if i < n { bandEnds[i] = slots.upperBound }
            for s in slots {
                let j = Int(p.columns[s])
                switch (i < n, j < n) {
                case (true, true):
                    // (`offset` checks that the entry is inside the band.)
                    targets[s] = layout.offset(stored(i), stored(j))
                case (true, false):
                    if bandEnds[i] == slots.upperBound { bandEnds[i] = s }
                    targets[s] = stored(i) + (j - n) * n
                case (false, true):
                    targets[s] = (i - n) * n + stored(j)
                case (false, false):
                    targets[s] = (i - n) + (j - n) * k
                }
            }
        }
        self.targets = targets
        self.bandEnds = bandEnds
    }
}

extension BorderedBandMatrix {
    /// ``fillEquilibrated(from:bandHoles:clearingBorders:reversed:)`` through a
    /// ``BandFillMap`` of `m`'s pattern made for this matrix's shape and order: the same
    /// values, scale and errors.
    mutating func fillEquilibrated(
        from m: SparseMatrix, map: BandFillMap, bandHoles: [Int], clearingBorders: Bool, reversed: Bool
    ) throws(LinearAlgebraError) -> [Double] {
        let n = band.size
        let k = borderCount
        precondition(m.size == n + k && map.targets.count == m.values.count && map.bandEnds.count == n)
        if clearingBorders {
            right.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
            bottom.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
            corner.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        }
        var scale = [Double](repeating: 0, count: n + k)
        var zeroRow: Int?
        let storageCount = band.storage.count
        m.values.withUnsafeBufferPointer { v in
        m.pattern.rowStart.withUnsafeBufferPointer { rowStart in
        m.pattern.columns.withUnsafeBufferPointer { columns in
        map.targets.withUnsafeBufferPointer { targets in
        map.bandEnds.withUnsafeBufferPointer { bandEnds in
        bandHoles.withUnsafeBufferPointer { holes in
        band.storage.withUnsafeMutableBufferPointer { ab in
        right.withUnsafeMutableBufferPointer { right in
        bottom.withUnsafeMutableBufferPointer { bottom in
        corner.withUnsafeMutableBufferPointer { corner in
        scale.withUnsafeMutableBufferPointer { scale in
            let (v, targets, ab) = (v.baseAddress!, targets.baseAddress!, ab.baseAddress!)
            for h in holes {
                precondition(h >= 0 && h < storageCount)
                ab[h] = 0
            }
            for i in 0..<(n + k) {
                let (start, end) = (Int(rowStart[i]), Int(rowStart[i + 1]))
                var largest = 0.0
                for s in start..<end {
                    // (Not Swift.max, as in the general fill.)
                    let a = abs(v[s])
                    largest = a > largest ? a : largest
                }
                guard largest > 0 else {
                    zeroRow = i
                    return
                }
                let f = 1 / largest
                if i < n {
                    scale[reversed ? n &- 1 &- i : i] = f
                    let middle = bandEnds[i]
                    for s in start..<middle { ab[targets[s]] = v[s] * f }
                    for s in middle..<end { right[targets[s]] = v[s] * f }
                } else {
                    scale[i] = f
                    for s in start..<end {
                        if Int(columns[s]) < n { bottom[targets[s]] = v[s] * f } else { corner[targets[s]] = v[s] * f }
                    }
                }
            }
        }
        }
        }
        }
        }
        }
        }
        }
        }
        }
        }
        if let zeroRow { throw .singular(function: "row equilibration", pivot: zeroRow) }
        return scale
    }
}
